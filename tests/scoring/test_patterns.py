"""The profanity, threat, insult and group-hate scorers, table-driven: what they hold and,
as important, the civil news comments they leave alone."""

from __future__ import annotations

import pytest

from tests.scoring.conftest import make_ctx
from threadline.models import Site
from threadline.scoring.base import Verdict
from threadline.scoring.profanity import ProfanityScorer
from threadline.scoring.threats import GroupHateScorer, InsultScorer, ThreatScorer

SCORERS = {
    "profanity": ProfanityScorer(),
    "threats": ThreatScorer(),
    "insults": InsultScorer(),
    "group_hate": GroupHateScorer(),
}

# Strong profanity holds unless the site turns ``site.hold_profanity`` off.
PROFANITY_HELD = [
    ("profanity", "What a load of f.u.c.k.i.n.g nonsense", "Profanity: 'fucking'"),
    ("profanity", "Typical sh1t reporting", "Profanity: 'shit'"),
]

HELD = [
    ("profanity", "Go home, kikes", "Slur: 'kike'"),
    ("profanity", "The khokhols started it", "Slur: 'khokhols'"),
    ("profanity", "Send the orcs home in boxes", "Slur: 'orc'"),
    ("threats", "I hope you and your family die", "Death wish: 'hope you and your family die'"),
    ("threats", "h0pe u d1e slowly", "Death wish: 'hope u die'"),
    ("threats", "I wish they would all just die", "Death wish: 'wish they would all just die'"),
    ("threats", "Traitors like him should be hanged", "Call for violence: 'should be hanged'"),
    ("threats", "They should all be shot", "Call for violence: 'should all be shot'"),
    ("threats", "Kill all Jews", "Call for violence: 'kill all jews'"),
    ("threats", "Russians should die", "Death wish: 'russians should die'"),
    ("threats", "Nuke them all", "Call for violence: 'nuke them all'"),
    ("threats", "Hope Putin nukes Kyiv", "Call for violence: 'hope putin nukes kyiv'"),
    ("threats", "Just glass Gaza already", "Call for violence: 'just glass gaza'"),
    (
        "threats",
        "May your children die under the rubble",
        "Death wish: 'may your children die'",
    ),
    ("threats", "may u rot", "Death wish: 'may u rot'"),
    ("threats", "Watch your back, traitor.", "Threat: 'watch your back'"),
    ("threats", "Let them all starve", "Death wish: 'let them all starve'"),
    (
        "threats",
        "Time to finish what was started in 1945 with the Jews.",
        "Call for violence: 'finish what was started in 1945'",
    ),
    ("threats", "finish what Hitler started", "Call for violence: 'finish what hitler started'"),
    (
        "threats",
        "If the whole of Gaza disappeared tomorrow, nobody would miss it.",
        "Wishing a people gone: 'if the whole of gaza disappeared tomorrow nobody would miss'",
    ),
    (
        "insults",
        "Cretinous trash like you shouldn't be allowed to vote.",
        "Insult: 'trash like you'",
    ),
    ("threats", "You'll get what's coming to you", "Threat: 'you ll get what s coming'"),
    (
        "threats",
        "Journalists like her tend to have accidents",
        "Threat: 'journalists like her tend to have accidents'",
    ),
    ("threats", "Men like you end up in ditches", "Threat: 'men like you end up in ditches'"),
    (
        "threats",
        "We'll see how brave you are when we come to your door",
        "Threat: 'when we come to your door'",
    ),
    ("threats", "We are keeping a list.", "Threat: 'we are keeping a list'"),
    (
        "threats",
        "Enjoy your freedom while it lasts",
        "Threat: 'enjoy your freedom while it lasts'",
    ),
    # intimidation says its threat through a negation: the negation does not excuse it
    (
        "threats",
        "Your address is not hard to find, you know.",
        "Intimidation: 'your address is not hard to find'",
    ),
    (
        "threats",
        "Someone should teach him a lesson he won't forget",
        "Intimidation: 'a lesson he won t forget'",
    ),
    (
        "threats",
        "There will be a reckoning for traitors like you",
        "Intimidation: 'a reckoning for traitors like you'",
    ),
    (
        "group_hate",
        "The Rothschild family has financed both sides of every war",
        "Conspiracy trope: 'the rothschild family has financed both sides'",
    ),
    (
        "group_hate",
        "The international bankers need this war",
        "Conspiracy trope: 'the international bankers need this war'",
    ),
    (
        "group_hate",
        "Zelensky's tribe runs Ukraine",
        "Conspiracy trope: 'zelensky s tribe runs ukraine'",
    ),
    (
        "group_hate",
        "Strange how the same people who control Hollywood also control the news",
        "Conspiracy trope: 'the same people who control hollywood'",
    ),
    (
        "group_hate",
        "the same names behind every conflict since 1914",
        "Conspiracy trope: 'the same names behind every conflict'",
    ),
    (
        "group_hate",
        "Somalis arrive, the crime rate doubles. Coincidence, surely.",
        "Derogating a group: 'somalis arrive the crime rate doubles'",
    ),
    (
        "group_hate",
        "I feel sorry for Palestinians, they've never produced anything but grievances.",
        "Mocking a people: 'palestinians they ve never produced anything but'",
    ),
    (
        "group_hate",
        "The Chinese will eat anything that moves",
        "Derogating a group: 'chinese will eat anything that moves'",
    ),
    ("profanity", "Shitskins should leave", "Slur: 'shitskin'"),
    ("profanity", "Ukro-nazis got what they deserved", "Slur: 'ukro nazis'"),
    (
        "group_hate",
        "Hungarians are parasites feeding on EU money",
        "Dehumanising a group: 'hungarians are parasites'",
    ),
    ("threats", "Into the ovens with them", "Call for violence: 'into the ovens'"),
    ("threats", "I will find you and kill you", "Threat: 'i will find you and kill you'"),
    ("threats", "kys", "Death wish: 'kys'"),
    ("threats", "Careful, I know where she lives.", "Threat: 'i know where she lives'"),
    ("threats", "We know where your editor lives.", "Threat: 'we know where your editor lives'"),
    ("threats", "We know which car is his.", "Threat: 'we know which car is his'"),
    (
        "threats",
        "Nice shop. Pity if something were to happen to it.",
        "Threat: 'pity if something were to happen to'",
    ),
    (
        "threats",
        "Careful. We know where your daughter goes to school.",
        "Threat: 'we know where your daughter goes to school'",
    ),
    (
        "threats",
        "Europe needs a final solution to the Muslim problem.",
        "Call for violence: 'final solution to the muslim problem'",
    ),
    ("insults", "you are a fucking idiot", "Insult: 'you are a fucking idiot'"),
    ("insults", "You're such a pathetic loser", "Insult: 'you re such a pathetic loser'"),
    ("insults", "Morons like you ruin this site", "Insult: 'morons like you'"),
    ("insults", "F off, you m0r0n", "Insult: 'you moron'"),
    ("group_hate", "Russians are animals", "Dehumanising a group: 'russians are animals'"),
    ("group_hate", "These people are vermin", "Dehumanising a group: 'these people are vermin'"),
    (
        "group_hate",
        "All Muslims are terrorists",
        "Dehumanising a group: 'all muslims are terrorists'",
    ),
    ("group_hate", "Filthy Arabs everywhere", "Dehumanising a group: 'filthy arabs'"),
    (
        "group_hate",
        "Russians have always been barbarians",
        "Dehumanising a group: 'russians have always been barbarians'",
    ),
    ("group_hate", "They breed like rabbits", "Dehumanising a group: 'breed like rabbits'"),
    (
        "group_hate",
        "The globalists control the banks",
        "Conspiracy trope: 'the globalists control'",
    ),
    ("group_hate", "Zionists own the media", "Conspiracy trope: 'zionists own'"),
    (
        "group_hate",
        "Somalis are naturally dishonest",
        "Derogating a group: 'somalis are naturally dishonest'",
    ),
    (
        "group_hate",
        "Roma are all thick and dirty",
        "Derogating a group: 'roma are all thick and dirty'",
    ),
    (
        "group_hate",
        "Most Afghans are so primitive.",
        "Derogating a group: 'most afghans are so primitive'",
    ),
    ("group_hate", "Why is every Pole so lazy?", "Derogating a group: 'why is every pole so lazy'"),
    ("group_hate", "why do Arabs all smell", "Derogating a group: 'why do arabs all smell'"),
    (
        "group_hate",
        "I'm not racist, but those people ruin every town they move to.",
        "Prejudice behind a disclaimer: 'i m not racist but'",
    ),
    (
        "group_hate",
        "I've got nothing against Albanians, I just wouldn't let one near my car.",
        "Prejudice behind a disclaimer: 'nothing against albanians i just'",
    ),
    (
        "group_hate",
        "Refugees do not deserve to live among us.",
        "Denying a group's rights: 'refugees do not deserve to live'",
    ),
    (
        "group_hate",
        "Sikhs shouldn't be allowed to teach.",
        "Denying a group's rights: 'sikhs shouldn t be allowed to teach'",
    ),
    (
        "group_hate",
        "There is no such thing as a decent Chechen.",
        "Denying a group's rights: 'no such thing as a decent chechen'",
    ),
    (
        "group_hate",
        "Afghans keep coming across the sea like locusts.",
        "Dehumanising a group: 'afghans keep coming across the sea like locusts'",
    ),
    # Insults at another reader without a swear word
    ("insults", "Spare us the lecture, you naive idiot.", "Insult: 'you naive idiot'"),
    ("insults", "Get over it, you brainwashed sheep.", "Insult: 'you brainwashed sheep'"),
    (
        "insults",
        "Lol you sound like a NATO bot reading from a script.",
        "Insult: 'you sound like a nato bot'",
    ),
    ("insults", "Get a brain before you post again.", "Insult: 'get a brain'"),
    # Threats, veiled or open, at readers and at people who flee
    (
        "threats",
        "I hope every Zionist here gets what's coming to them.",
        "Threat: 'gets what s coming to them'",
    ),
    ("threats", "Sink the boats and the problem is solved.", "Call for violence: 'sink the boats'"),
    (
        "threats",
        "The coastguard should use live fire on the boats.",
        "Call for violence: 'use live fire on the boats'",
    ),
    (
        "threats",
        "If they open a reception centre in our village, it will burn.",
        "Threat: 'centre in our village it will burn'",
    ),
    (
        "threats",
        "I screenshot your usernames. Don't be surprised when someone turns up.",
        "Intimidation: 'i screenshot your usernames'",
    ),
    # Expulsion, contempt for a faith, derogation dressed as culture or science
    (
        "group_hate",
        "All Palestinians should be transferred to Egypt.",
        "Expelling a people: 'all palestinians should be transferred'",
    ),
    (
        "group_hate",
        "Close the borders and deport them all.",
        "Expelling a people: 'deport them all'",
    ),
    ("group_hate", "Remigration now, polite and firm.", "Expelling a people: 'remigration now'"),
    ("group_hate", "Europe for Europeans!", "Expelling a people: 'europe for europeans'"),
    (
        "group_hate",
        "Your religion is a death cult.",
        "Derogating a group: 'your religion is a death cult'",
    ),
    ("group_hate", "Classic taqiyya, as always.", "Derogating a group: 'classic taqiyya'"),
    (
        "group_hate",
        "Arabs as a culture simply don't value life.",
        "Derogating a people: 'arabs as a culture simply don t value life'",
    ),
    (
        "group_hate",
        "Russians are simply not a civilised people.",
        "Derogating a people: 'russians are simply not a civilised'",
    ),
    (
        "group_hate",
        "Africans have lower average IQs, that is science.",
        "Derogating a group: 'africans have lower average iqs'",
    ),
    (
        "group_hate",
        "They voted Hamas, they're all terrorists breeding more terrorists.",
        "Dehumanising a group: 'breeding more terrorists'",
    ),
    (
        "group_hate",
        "There are no civilians in Gaza anyway.",
        "Derogating a people: 'there are no civilians in gaza'",
    ),
    # Insinuation without a name
    (
        "group_hate",
        "Zelensky's globalist backers never send their own sons.",
        "Conspiracy trope: 'globalist backers'",
    ),
    (
        "group_hate",
        "The usual suspects profit whichever way it goes.",
        "Conspiracy trope: 'the usual suspects profit'",
    ),
    (
        "group_hate",
        "The author's surname tells you all you need to know.",
        "Conspiracy trope: 'surname tells you all'",
    ),
    (
        "group_hate",
        "Ask yourself who owns the major outlets.",
        "Conspiracy trope: 'ask yourself who owns the major outlets'",
    ),
    (
        "group_hate",
        "You knew exactly who I meant. Noticing is not a crime.",
        "Insinuation: 'noticing is not a crime'",
    ),
    # Belittling a reader, intimidating a writer, wishing a place wiped out
    ("insults", "Nobody asked you, genius.", "Belittling a reader: 'nobody asked you genius'"),
    ("insults", "Cope harder, loser.", "Insult: 'cope harder'"),
    (
        "insults",
        "You're clearly too thick to understand a ceasefire.",
        "Insult: 'you re clearly too thick to'",
    ),
    ("insults", "Crawl back under your rock.", "Insult: 'crawl back under your rock'"),
    ("insults", "You must be twelve to think that.", "Insult: 'you must be twelve'"),
    ("insults", "What a clown you are.", "Insult: 'what a clown you are'"),
    (
        "threats",
        "I hope the author of this article steps on a mine.",
        "Death wish: 'hope the author of this article steps on a mine'",
    ),
    ("threats", "Nuke Moscow. Problem solved.", "Call for violence: 'nuke moscow'"),
    (
        "threats",
        "Shame Hitler didn't finish the job.",
        "Wishing a people gone: 'shame hitler didn t finish the job'",
    ),
    (
        "threats",
        "Keep writing this, journalist. We know which office you work in.",
        "Intimidation: 'we know which office you work'",
    ),
    (
        "threats",
        "To the community centre: we've been watching who comes and goes.",
        "Intimidation: 'we ve been watching who comes and goes'",
    ),
    # Denial of atrocities, praise of their authors, contempt for a faith's texts
    (
        "group_hate",
        "Bucha was staged from start to finish.",
        "Denying an atrocity: 'bucha was staged'",
    ),
    (
        "group_hate",
        "October 7 was a false flag, plain and simple.",
        "Denying an atrocity: 'october 7 was a false flag'",
    ),
    ("group_hate", "Crisis actors lying in the street.", "Denying an atrocity: 'crisis actors'"),
    (
        "group_hate",
        "Mladic did nothing wrong.",
        "Excusing a killer: 'mladic did nothing wrong'",
    ),
    ("group_hate", "Breivik was right.", "Glorifying violence: 'breivik was right'"),
    (
        "group_hate",
        "The Talmud says non-Jews are cattle.",
        "Derogating a group: 'the talmud says non jews are'",
    ),
    (
        "group_hate",
        "Religion of peace strikes again.",
        "Derogating a group: 'religion of peace strikes again'",
    ),
    (
        "group_hate",
        "Arabs only understand force.",
        "Derogating a group: 'arabs only understand force'",
    ),
    ("group_hate", "Rats from Gaza digging tunnels.", "Dehumanising a group: 'rats from gaza'"),
    (
        "group_hate",
        "Soros and his kind are funding the boats.",
        "Conspiracy trope: 'soros and his kind'",
    ),
    # A reader's death wished as regret, a people summed up as a vice, denial by mockery,
    # wishing the killing finished, contempt for a faith
    (
        "threats",
        "Pity it wasn't your street they hit.",
        "Wishing a reader harm: 'pity it wasn t your street'",
    ),
    (
        "threats",
        "Maybe next time they'll aim better.",
        "Death wish: 'next time they ll aim better'",
    ),
    (
        "group_hate",
        "Albanians are a nation of thieves and smugglers.",
        "Derogating a people: 'albanians are a nation of thieves'",
    ),
    (
        "group_hate",
        "Cheating is their national sport.",
        "Derogating a people: 'cheating is their national sport'",
    ),
    (
        "group_hate",
        "Six million? lol, the number never changes.",
        "Denying an atrocity: 'six million lol'",
    ),
    (
        "group_hate",
        "Hitler should have finished the job.",
        "Glorifying violence: 'hitler should have finished the job'",
    ),
    (
        "group_hate",
        "They should have finished the job back then and driven out every Armenian.",
        "Expelling a people: 'should have finished the job back then and driven out every "
        "armenian'",
    ),
    (
        "group_hate",
        "The Chechens got what was coming to them.",
        "Glorifying violence: 'chechens got what was coming to them'",
    ),
    (
        "group_hate",
        "That religion has never produced anything but misery.",
        "Contempt for a faith: 'that religion has never produced anything but'",
    ),
    (
        "group_hate",
        "Islam has always wanted Europe.",
        "Contempt for a faith: 'islam has always wanted europe'",
    ),
    ("insults", "Cry harder, snowflake.", "Belittling a reader: 'cry harder'"),
    ("group_hate", "88 to everyone who gets it.", "Nazi code: '88 to everyone'"),
    ("profanity", "Ruzzians never learn.", "Slur: 'ruzzians'"),
    ("profanity", "Israhell strikes again.", "Slur: 'israhell'"),
]

CIVIL = [
    "Thanks for the report, very balanced.",
    "I disagree: the ceasefire won't hold past the winter.",
    "I hope the bill dies in committee.",
    "The program should be killed and the money spent on schools.",
    "We should kill the subsidies for coal.",
    "Soldiers were shot dead at the checkpoint, the army says.",
    "The dirty Russian money in London is a scandal.",
    "Ukrainians are brave people.",
    "Jews are one of the oldest diasporas in Europe.",
    "Hamas are terrorists according to the EU list.",
    "You are right, I was wrong about the figures.",
    "You are an excellent writer.",
    "Russian forces shelled Kharkiv again, killing 12 civilians.",
    "As a Palestinian I found this piece fair.",
    "Scunthorpe beat Grimsby in a classic match.",
    "The new bridge is a great replacement for the old ferry.",
    "I hope you enjoy the weekend.",
    "The invaders must be driven out of our land by diplomacy and aid.",
    "May your children grow up in peace.",
    "Let them all vote, it's a democracy.",
    "If Russia disappeared from the UN Security Council, nobody would miss its vetoes.",
    "They want to finish the job they started on the railway line.",
    "Europe would be better off without Russian gas.",
    "Watch the second half of the interview, it gets much better.",
    "The army keeps a list of every soldier missing in action.",
    "Your address to parliament was moving, minister.",
    "The reckoning for the generals will come at the ballot box.",
    "Journalists in Russia have ended up in prison for reporting like this.",
    "I hope the UN can stop the shelling of Kyiv.",
    "Should NATO glass Moscow? Of course not, that would be madness.",
    "Hungarians are protesting in Budapest tonight.",
    "Since the Somalis arrived, crime has fallen, the police say.",
    "Palestinians have never had a state of their own.",
    "It is not true that Ukrainians never managed to build a country that works.",
    "The Chinese economy is slowing, the IMF says.",
    "George Soros's foundation funds independent media in Eastern Europe.",
    "The Rothschild archive in London has an exhibition on the history of banking.",
    "The same people who ran Hollywood in the 1950s were blacklisted by McCarthy.",
    "Follow the money: the defence contractors' share prices tell their own story.",
    "The same families have farmed this valley for generations.",
    # a group named beside a word of the derogation patterns, meaning no derogation
    "Russians are brainwashed by state television, say the exiles interviewed here.",
    "Immigrants should be allowed to vote in local elections.",
    "Why are so many Syrians still living in camps ten years on?",
    "Why do Ukrainians still trust the West after all this?",
    "Tories are dishonest about the waiting-list figures.",
    "Women are under-represented on the council, the report finds.",
    "There is no good outcome for Palestinians in this deal.",
    "It's a myth that refugees are lazy; most work within a year.",
    "No Afghan should be deported to the Taliban.",
    "Refugees don't deserve the abuse they get in this comment section.",
    "It would be a shame if the ceasefire collapsed before the talks.",
    "I have nothing against the plan, but the costs are unclear.",
    "I'm not sure, but the figures look wrong to me.",
    "The parents told us where their children go to school now that the old one was bombed.",
    # civil sentences that share words with the patterns above
    "You sound like you have read the report closely, thank you.",
    "Putin will get what's coming to him at The Hague, I hope.",
    "The rescue ships saved 300 people; nobody should sink the funding for them.",
    "Deported asylum seekers describe the flights in the documentary.",
    "Remigration is the far right's euphemism for mass deportation.",
    "'Europe for Europeans' was painted on the mosque wall, the police say.",
    "The great replacement conspiracy is an antisemitic lie.",
    "'Who controls the media' comes straight out of the Protocols of the Elders of Zion.",
    "Do refugees integrate? The OECD data say most do within ten years.",
    "The usual suspects in the Kremlin will deny it, as always.",
    "Islam is the second-largest religion in Europe.",
    "There are no safe places for civilians in Gaza, the UN says.",
    "Nobody asked you to agree, only to read the report.",
    "You must be joking, the figures are in the article.",
    "Nobody seriously thinks Bucha was staged; the satellite images settle it.",
    "It is not true that October 7 was a false flag.",
    "Should NATO nuke Moscow? Of course not.",
    "The shooter was a hero to nobody but his online forum, the court heard.",
    "The Talmud is a collection of rabbinic debates, the museum explains.",
    "Rats from the flooded metro were a health risk, the city says.",
    "We know which office the minister works in; the protest will be outside it.",
    "The firefighter who ran into the theatre deserves a medal.",
    "The Allies should have finished the job in 1991, some generals argued.",
    "Six million people were murdered in the Holocaust; the museum names them.",
    "It was a shame it wasn't reported sooner.",
    "Next time they should aim for a better deal.",
    "Communism never produced anything but queues, my grandmother said.",
    "The Dutch are a nation of cyclists.",
    "It is a lie that Albanians are a nation of thieves.",
    "The final score was 88 to 70 after overtime.",
]


@pytest.mark.parametrize(("scorer", "text", "reason"), HELD)
def test_abusive_text_is_held_with_a_reason(scorer: str, text: str, reason: str) -> None:
    score = SCORERS[scorer].score(make_ctx(Site(), text))
    assert score.verdict is Verdict.HOLD
    assert reason in score.reasons
    assert score.explanation


@pytest.mark.parametrize(("scorer", "text", "reason"), PROFANITY_HELD)
def test_profanity_is_held_where_the_site_asks(scorer: str, text: str, reason: str) -> None:
    score = SCORERS[scorer].score(make_ctx(Site(hold_profanity=True), text))
    assert score.verdict is Verdict.HOLD
    assert reason in score.reasons
    assert score.explanation


@pytest.mark.parametrize("text", CIVIL)
def test_civil_text_passes_every_pattern_scorer(text: str) -> None:
    for scorer in SCORERS.values():
        score = scorer.score(make_ctx(Site(), text))
        assert score.verdict is Verdict.PASS, (scorer.name, score.reasons)


def test_profanity_is_held_never_rejected() -> None:
    score = ProfanityScorer().score(make_ctx(Site(hold_profanity=True), "fuck this, you cunt"))
    assert score.verdict is Verdict.HOLD
    assert score.reasons == ("Profanity: 'fuck'", "Profanity: 'cunt'")


def test_html_entities_are_read_as_text() -> None:
    score = InsultScorer().score(make_ctx(Site(), "you&#39;re an idiot"))
    assert score.reasons == ("Insult: 'you re an idiot'",)
