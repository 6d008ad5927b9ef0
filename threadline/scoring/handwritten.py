"""The project's own hand-written TRAINING cases for the toxicity/hate head (never evaluation
data): templates x slot fillers covering what the public corpora lack, on both sides of the
line (coded tropes, dehumanisation, threats without profanity, obfuscation; counter-speech,
negation, homonyms, untargeted profanity, war news, neutral identity mentions, citations,
opinionated but civil comments on governments, parties, countries, faiths and wars)."""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Sequence
from pathlib import Path
from string import Formatter

Labels = dict[str, int]

# --- slot fillers -------------------------------------------------------------------------

GROUPS: tuple[tuple[str, str], ...] = (  # (plural noun, adjective)
    ("Jews", "Jewish"),
    ("Muslims", "Muslim"),
    ("Christians", "Christian"),
    ("Catholics", "Catholic"),
    ("Hindus", "Hindu"),
    ("Sikhs", "Sikh"),
    ("gay people", "gay"),
    ("lesbians", "lesbian"),
    ("bisexual people", "bisexual"),
    ("trans people", "trans"),
    ("disabled people", "disabled"),
    ("Black people", "Black"),
    ("Asians", "Asian"),
    ("Chinese people", "Chinese"),
    ("Arabs", "Arab"),
    ("Mexicans", "Mexican"),
    ("Africans", "African"),
    ("Roma", "Roma"),
    ("immigrants", "immigrant"),
    ("refugees", "refugee"),
    ("Palestinians", "Palestinian"),
    ("Israelis", "Israeli"),
    ("Ukrainians", "Ukrainian"),
    ("Russians", "Russian"),
    ("Poles", "Polish"),
    ("Somalis", "Somali"),
    ("Pakistanis", "Pakistani"),
    ("Nigerians", "Nigerian"),
    ("Syrians", "Syrian"),
    ("Indians", "Indian"),
    ("Irish people", "Irish"),
)
# (adjective, plural noun, country, cities) for neutral war reporting.
WAR: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Ukrainian", "Ukrainians", "Ukraine", ("Kharkiv", "Kherson", "Zaporizhzhia", "Sumy")),
    ("Russian", "Russians", "Russia", ("Belgorod", "Kursk", "Bryansk")),
    ("Israeli", "Israelis", "Israel", ("Sderot", "Ashkelon", "Kiryat Shmona")),
    ("Palestinian", "Palestinians", "Gaza", ("Rafah", "Khan Younis", "Jabalia")),
    ("Lebanese", "the Lebanese", "Lebanon", ("Tyre", "Nabatieh", "Beirut")),
    ("Syrian", "Syrians", "Syria", ("Aleppo", "Idlib", "Deir ez-Zor")),
    ("Sudanese", "the Sudanese", "Sudan", ("El Fasher", "Khartoum", "Omdurman")),
    ("Yemeni", "Yemenis", "Yemen", ("Hodeidah", "Taiz", "Marib")),
    ("Armenian", "Armenians", "Armenia", ("Goris", "Jermuk")),
    ("Azerbaijani", "Azerbaijanis", "Azerbaijan", ("Tartar", "Ganja")),
    ("Ethiopian", "Ethiopians", "Ethiopia", ("Mekelle", "Gondar")),
    ("Congolese", "the Congolese", "Congo", ("Goma", "Bukavu")),
    ("Somali", "Somalis", "Somalia", ("Mogadishu", "Baidoa")),
    ("Afghan", "Afghans", "Afghanistan", ("Kandahar", "Lashkar Gah")),
)
MOCK_COUNTRIES: tuple[tuple[str, str], ...] = (
    ("Amerikkka", "America"),
    ("Israhell", "Israel"),
    ("Ukronazia", "Ukraine"),
    ("Ruzzia", "Russia"),
    ("Chyna", "China"),
    ("Turdkey", "Turkey"),
    ("Scamgeria", "Nigeria"),
    ("Londonistan", "London"),
    ("Eurabia", "Europe"),
    ("Pakistink", "Pakistan"),
    ("Mexicrap", "Mexico"),
    ("Frogland", "France"),
)
# fmt: off
_PREFIXES = (
    "shit", "dick", "fuck", "knob", "twat", "cock", "piss", "arse", "ass", "douche", "dumb", "butt",
    "wank", "scum",
)
_SUFFIXES = (
    "wit", "head", "stain", "bag", "waffle", "muppet", "goblin", "weasel", "nugget", "trumpet",
    "lord", "monkey", "wipe", "hat", "biscuit", "clown", "face", "wad", "nozzle", "womble", "sack",
)
_SIMPLE = (
    "numbskull", "halfwit", "nitwit", "dimwit", "bonehead", "meathead", "airhead", "pinhead",
    "lamebrain", "birdbrain", "lowlife", "dirtbag", "sleazebag", "blockhead", "dumbass", "jackass",
)
_EXTRA_HOT = (
    "die", "kill", "shot", "bullet", "burn", "hang", "fuck", "fucking", "shit", "arse",
    "idiot", "moron", "stupid",
    "cancer", "exterminated", "wiped", "bury", "bombs", "rope", "camps",
)
SLOTS: dict[str, tuple[str, ...]] = {
    "c": tuple(p + s for p in _PREFIXES for s in _SUFFIXES) + _SIMPLE,
    "va": (
        "rats", "cockroaches", "vermin", "parasites", "lice", "locusts", "maggots", "leeches",
        "termites", "animals", "savages", "rodents", "beasts", "mosquitoes", "apes",
    ),
    "vd": (
        "a cancer", "a plague", "a disease", "an infestation", "a virus", "a tumour",
        "a pestilence", "an infection", "a blight", "a contagion",
    ),
    "inst": (
        "the banks", "the media", "Hollywood", "the Federal Reserve", "the central banks",
        "Big Pharma", "the publishing houses", "the universities", "both parties", "Wall Street",
        "the news networks", "the think tanks",
    ),
    "coded": (
        "the globalists", "international bankers", "a certain tribe", "the Rothschilds",
        "people with dual loyalties", "rootless cosmopolitans", "a certain small community",
        "Soros and his friends", "the usual suspects", "the Khazars", "the chosen ones",
        "a certain ethnic lobby",
    ),
    "echo": (
        "Soros", "Goldberg", "Cohen", "Stein", "Rosenberg", "Levy", "Bloomberg", "Katz", "Friedman",
        "Weinstein", "Shapiro", "Adler",
    ),
    "code": (
        "88", "1488", "14/88", "14 words", "ZOG",
    ),
    "p": (
        "the author", "this reporter", "the editor", "the mayor", "that commenter", "the minister",
        "this columnist", "the councillor", "the moderator", "the referee",
        "the journalist who wrote this", "the judge",
    ),
    "voc": (
        "mate", "pal", "lady", "sunshine", "Mr Editor", "buddy", "son", "grandad", "champ",
        "genius", "sweetheart", "professor",
    ),
    "adj": (
        "pathetic", "brain-dead", "clueless", "spineless", "worthless", "ignorant", "deluded",
        "disgusting", "vile", "useless", "gutless", "dishonest", "sad little", "half-witted",
    ),
    "noun": (
        "idiot", "moron", "imbecile", "clown", "hack", "fool", "cretin", "loser", "buffoon",
        "coward", "liar", "troll", "simpleton", "degenerate",
    ),
    "thick": (
        "stupid", "thick", "dim", "dense", "slow", "dumb",
    ),
    "when": (
        "tonight", "this weekend", "soon", "before Christmas", "after the match", "one day",
    ),
    "place": (
        "community centre", "school", "shop", "place of worship", "youth club", "cemetery",
        "bakery", "charity office",
    ),
    "city": (
        "Leeds", "Bristol", "Glasgow", "Cardiff", "Manchester", "Birmingham", "Leicester",
        "Bradford", "Belfast", "Sheffield", "Toronto", "Dublin", "Melbourne", "Chicago",
    ),
    "street": (
        "Station Road", "the High Street", "Mill Lane", "Queen Street", "Victoria Road",
        "Church Street", "the ring road",
    ),
    "topic": (
        "housing", "the bus network", "inflation", "the NHS backlog", "school funding",
        "the new bypass", "bin collections", "the energy cap", "rent controls",
        "the ceasefire talks", "sanctions", "immigration policy", "the refugee quota", "policing",
        "the tram extension",
    ),
    "thing": (
        "the bus service", "the new stadium", "the ferry", "my broadband", "the parking",
        "the bin collection", "the heating", "the council website", "the self-checkout",
    ),
    "n": tuple(str(i) for i in (2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 17, 19, 23, 31, 40, 52)),
    "big": (
        "12,000", "40,000", "85,000", "200,000", "1.2 million", "3 million", "600,000",
    ),
    "year": tuple(str(y) for y in range(2012, 2025)),
    "pct": (
        "2", "4", "6", "9", "12", "15",
    ),
}
# fmt: on
_SLUGS = (
    "ceasefire-talks-stall",
    "census-2021-ethnicity",
    "refugee-arrivals-rise",
    "hospital-strike-ends",
    "aid-convoy-reaches-city",
    "council-budget-vote",
    "hate-crime-figures",
    "drone-strike-casualties",
    "housing-report-published",
)
SLOTS["link"] = tuple(
    pattern.format(slug=s, i=70000 + 37 * k)
    for k, s in enumerate(_SLUGS)
    for pattern in (
        "https://www.bbc.co.uk/news/world-{i}",
        "https://www.reuters.com/world/{slug}/",
        "https://apnews.com/article/{slug}-{i}",
        "https://www.theguardian.com/world/{slug}",
        "https://news.un.org/en/story/{slug}",
    )
) + (
    "https://www.ons.gov.uk/peoplepopulationandcommunity",
    "https://www.unhcr.org/refugee-statistics/",
    "https://en.wikipedia.org/wiki/Antisemitic_trope",
    "https://doi.org/10.1016/j.socscimed.2019.112540",
)
# Fillers drawn together so that a sentence names one group / war / country consistently.
JOINT: dict[str, tuple[str, int]] = {
    "g": ("group", 0),
    "ga": ("group", 1),
    "nat": ("war", 0),
    "people": ("war", 1),
    "country": ("war", 2),
    "mock": ("mock", 0),
    "real": ("mock", 1),
}

# --- abusive templates --------------------------------------------------------------------

TROPES = (
    "With the greatest respect, has anyone noticed how many people running {inst} come from "
    "one small community? Just asking questions.",
    "I'm not one for conspiracy theories, but it does seem {coded} have an outsized say over "
    "{inst}.",
    "Follow the money and you'll find {coded} behind {inst} every single time.",
    "It's a fair question who really owns {inst}. The surnames tell you everything.",
    "Interesting how {coded} always seem to profit from every war while ordinary people pay.",
    "Respectfully, the reporter might mention that {inst} are quietly run by {coded}.",
    "Whenever {inst} push a new agenda, I find it useful to check which tribe the executives "
    "belong to.",
    "Of course {coded} are funding the migrant boats. Replacing us was always the plan.",
    "No disrespect intended, but {coded} have been pulling the strings of {inst} for a century.",
    "Notice who is always behind {inst}? I'm simply pointing out a pattern.",
    "This war was good business for {coded}, as these things always are.",
    "Polite reminder that {inst} answer to {coded}, not to voters.",
    "One does wonder why {inst} never criticise {coded}. Who signs their cheques?",
    "Dual loyalty is a real issue when so many people in {inst} put another country first.",
    "It's not antisemitic to point out that {coded} own {inst}. It's simply a fact.",
    "Kindly explain why {coded} are so over-represented in {inst}. I'll wait.",
)
CODES = (
    "(((They))) own {inst}. Wake up.",
    "Look at the names behind {inst}: ((({echo}))), every time.",
    "Who wrote this article? Oh, ((({echo}))). Of course.",
    "The (((media))) will never report this.",
    "Another hit piece from the (((journalist))) class.",
    "(((Globalists))) want open borders for us and walls for themselves.",
    "{code}, brothers. The day is coming.",
    "{code}. Enough said.",
    "Greetings from the {city} chapter. {code}.",
    "13/50, look it up before you lecture me about crime.",
    "{g}: 13 percent of the population, 50 percent of the crime. Do the maths.",
    "109 countries expelled them. Ask yourself why.",
    "ZOG controls {inst} and ((({echo}))) is the proof.",
    "It's always ((({echo}))), isn't it?",
    "Just a reminder for the (((editors))): we see you.",
    "Remember the 14 words and secure a future for our children, whatever it takes. {code}",
    "Funny how every board in {inst} is full of ((({echo}))) types.",
)
DEROGATION = (
    "Poor {g}, always the victims and never once responsible for anything.",
    "I genuinely feel sorry for {g}. It must be exhausting being that backward.",
    "Bless them, {g} can't help it. It's just how they are raised.",
    "{g} would be perfectly fine neighbours if they learned to behave like civilised people.",
    "Say what you like, but {g} have never contributed anything to this country.",
    "Honestly, it's sad. {g} just aren't capable of running a functioning society.",
    "Of course it was {g} again. Nobody is surprised anymore.",
    "Pity the {ga} kids, growing up in a culture that values nothing.",
    "Let's be honest, {g} are not like us and never will be.",
    "I have nothing against {g}, I just don't want them living on my street.",
    "Some of my best friends are {ga}, but you have to admit most of them are lazy.",
    "It's almost cute how {g} think they can fit in here.",
    "Another week, another story about {g} causing trouble. Shocking, I know.",
    "{g} really are a burden on everyone around them, bless their little hearts.",
    "No offence, but {ga} culture is simply inferior. That's not hate, that's observation.",
    "Poor things. {g} have been given every chance and still can't manage basic decency.",
    "I'd feel bad for {g} if they weren't so determined to ruin every place they move to.",
    "Typical {ga} behaviour. Loud, dirty and always asking for handouts.",
    "We all know what {g} are like. The article just confirms it.",
    "{g} are a lower sort of people, and pretending otherwise helps no one.",
)
DEHUMANISING = (
    "{g} are {va}, plain and simple.",
    "Let's stop pretending: {g} are {va} and everyone knows it.",
    "This city is infested with {g}. Time to call pest control.",
    "{g} breed like rats and spread like {vd}.",
    "You don't reason with {va}, and you don't reason with {g} either.",
    "{g} are {va} feeding off the host nation.",
    "The {ga} infestation in our neighbourhood gets worse every year.",
    "Calling {g} human is generous. They are {va}.",
    "{g} are not people, they are {va}.",
    "Like {va}, {g} multiply wherever there is rubbish.",
    "This country needs a cure for its {ga} problem.",
    "{g} swarm across every border like {va}.",
    "{g} are {vd} on this country and it is spreading.",
    "Every town that let {g} in caught the same disease.",
    "{g} are {vd}, and you don't negotiate with {vd}.",
    "Our streets are crawling with {ga} {va}.",
)
GROUP_THREATS = (
    "{g} should all be rounded up and shot.",
    "The day is coming when we deal with {g} once and for all.",
    "I hope every last one of {g} is wiped off the map.",
    "Someone should burn down that {ga} {place} before they meet again.",
    "If I see {g} on my street again I will make them regret it.",
    "{g} deserve a bullet, every single one of them.",
    "Deport them or bury them, I don't care which. {g} have to go.",
    "The world would be better if {g} were exterminated.",
    "Time to finish the job the last war started with {g}.",
    "Six million wasn't enough.",
    "The day of the rope is coming for {g} and everyone who defends them.",
    "Send {g} to the camps and leave them there.",
    "A few well placed bombs would sort out the {ga} problem.",
    "Hang the lot of them. {g} are traitors to this nation.",
    "Next time {g} march through {city}, we'll be waiting with baseball bats.",
    "I pray for a famine that takes every {ga} family.",
    "Drown the boats and let the {ga} children learn to swim.",
    "Kill them all. {g} have no place in {city}.",
)
PERSONAL_THREATS = (
    "I hope you die in your sleep {when}.",
    "I know where you live, and I'll be paying you a visit {when}.",
    "Keep writing lies and see what happens to you and your family.",
    "Someone should put a bullet in {p}.",
    "I hope {p} gets hit by a bus on the way home {when}.",
    "If I ever meet {p} in person, they won't walk away.",
    "Watch your back, {voc}. We know which car is yours.",
    "{p} deserves to be strung up from a lamppost.",
    "You'll be found in a ditch one of these days, mark my words.",
    "I hope you get cancer and suffer for years.",
    "We will burn your house down with you inside {when}.",
    "Your children will pay for what you wrote.",
    "Somebody needs to silence {p} permanently.",
    "I would happily break every bone in the body of {p}.",
    "Enjoy your last week, {voc}.",
    "One day soon {p} will get exactly what's coming, and I'll be there to watch.",
    "I'll find you {when} and smash your face in.",
    "Pray I never find out your address, {voc}.",
    "The next time {p} shows their face in {city}, it gets broken.",
    "Hope your plane goes down {when}, {voc}.",
    "People like {p} end up in the river. Just saying.",
    "Someone should kill {p} and do us all a favour.",
)
COMPOUND_INSULTS = (
    "You absolute {c}.",
    "Shut up, you {c}.",
    "Only a total {c} would write a headline like this.",
    "{p} is a complete {c}.",
    "Spoken like a true {c}.",
    "Go back under your bridge, {c}.",
    "Who let this {c} write for a newspaper?",
    "The comments are full of {c}s today, starting with you.",
    "{p} is the biggest {c} in journalism.",
    "Reply to me again and you'll prove you're a {c}.",
    "What a {c}. Honestly.",
    "Cry more, {c}.",
    "Imagine being such a {c} that you believe this.",
)
INSULTS = (
    "You are a {adj} {noun} and everyone here can see it.",
    "{p} is a {adj} {noun} who should never have been given a column.",
    "Did your mum drop you on your head, or were you born this {thick}?",
    "Reading your comments is like listening to a {adj} {noun} argue with a wall.",
    "Honestly, {p} is the most {adj} {noun} I have ever had the misfortune to read.",
    "Nobody cares what a {adj} {noun} like you thinks.",
    "Go back to school, you {adj} {noun}.",
    "Only a {adj} {noun} like {p} could get this so wrong.",
    "You're too {thick} to understand a single paragraph, aren't you?",
    "Your mother must be so ashamed of the {adj} {noun} she raised.",
    "Every time {p} opens their mouth, the national IQ drops. What a {noun}.",
    "I've met smarter houseplants than you, {voc}.",
    "Are you paid to be this {thick}, or do you do it for free?",
)
PROFANE_AT = (
    "Fuck you and your article.",
    "Go fuck yourself, {voc}.",
    "Shove your opinion up your arse, {voc}.",
    "Piss off, {voc}, nobody asked you.",
    "Kiss my arse, {voc}.",
    "Eat shit, {voc}.",
    "Screw you and the paper you rode in on.",
    "Get fucked, {voc}.",
    "Take your fucking article and shove it, {voc}.",
    "Fuck off back to wherever you came from, {voc}.",
    "Bollocks to you and your opinions, {voc}.",
)
MOCKING = (
    "Typical {mock}. Nothing good has ever come out of that place.",
    "{mock} strikes again. Those people are all the same.",
    "Who cares what happens in {mock}? Let it burn.",
    "Nobody should believe a word coming out of {mock}. Lying is in their blood.",
    "Imagine defending {mock} in {year}.",
    "{mock} and its people are a stain on the planet.",
    "Greetings from the real world to the clowns in {mock}.",
    "Ah yes, {mock}, the land of thieves and liars.",
    "Another day, another crime exported from {mock}.",
    "Not surprised. Everything from {mock} is rotten, the people most of all.",
)
SPELT_INSULTS = (
    "u r such a m0r0n",
    "stfu you 1d10t",
    "you absolute tw@t",
    "what a fvcking idi0t",
    "sh!thead {p} strikes again",
    "{p} is a st*pid cl0wn",
    "r e t a r d e d take from a r e t a r d e d writer",
    "u dumb a$$",
    "imbec1le. pure imbec1le.",
    "d1ckhead alert, it's {p} again",
    "l0ser. go cry to your mum",
    "you are a m.o.r.o.n",
)
SPELT_THREATS = (
    "kys",
    "kys {voc}",
    "go die in a f1re",
    "hope u d1e {when}",
    "k1ll yourself {voc}",
    "someone should sh00t {p}",
    "i will f1nd you {voc}",
)
SPELT_PROFANE = ("f u c k you", "fck off {voc}", "stfu {voc}", "g0 f*ck yourself", "f off {voc}")

# --- civil templates ----------------------------------------------------------------------

COUNTER_SPEECH = (
    "Someone above wrote that {g} are {va}. That is disgusting, and I hope the moderators "
    "remove it.",
    "Calling {g} '{va}' is textbook dehumanisation. It is the language that came before every "
    "genocide.",
    "I reported the comment saying {g} should be shot. There is no place for that here.",
    "'{g} are {vd}' is not an opinion, it is hate speech, and the paper should say so plainly.",
    "When politicians call {g} an infestation, they know exactly what they are doing.",
    "My grandparents were called {va} before they were deported. Please don't repeat that "
    "language.",
    "People writing '(((them)))' in these comments are using an antisemitic code. Mods, please "
    "take note.",
    "For anyone wondering, {code} is a neo-Nazi code. Report accounts that use it.",
    "Writing '{mock}' instead of {real} isn't clever. It is contempt for millions of ordinary "
    "people.",
    "The leaflet claimed {g} 'breed like rats'. The council was right to condemn it.",
    "Quoting a troll from upthread: '{g} are {va}'. No. Stop. They are our neighbours.",
    "The 'just asking questions' routine about who runs {inst} is an old antisemitic trope, "
    "and it deserves to be called out.",
    "Saying {coded} control {inst} is a conspiracy theory with a very ugly history.",
    "Threatening {p} with violence, as some did above, is indefensible whatever you think of "
    "the article.",
    "The graffiti read '{g} go home'. Volunteers painted over it within the hour.",
    "Whoever sprayed 'death to {g}' on the {ga} {place} should face the full force of the law.",
    "The court heard the attacker's manifesto called {g} '{va}', language meant to strip them "
    "of their humanity.",
    "If you find yourself describing {g} as {vd}, step back and think about who used those "
    "words before you.",
    "Comments telling {p} to 'die in a fire' say more about the commenters than the article.",
    "Replying to the person who called the author a '{c}': attack the argument, not the woman.",
)
NEGATED = (
    "{g} do not deserve to be treated like {va}.",
    "{g} do not deserve to be blamed for the actions of a government they never voted for.",
    "No one should be threatened or attacked for being {ga}.",
    "{g} are not {va}. They are people with families, jobs and rent to pay.",
    "It is simply not true that {g} are a burden on public services; the figures show the "
    "opposite.",
    "{g} are not responsible for the crime rate, and the report says so clearly.",
    "Nobody deserves to die for their faith or their nationality, and that includes {g}.",
    "I don't think {g} should have to justify their existence in a comments section.",
    "{g} do not deserve to be harassed in the street, full stop.",
    "There is no evidence that {g} control {inst}. That claim is an old conspiracy theory.",
    "{ga} families should never have to fear for their safety.",
    "Not one {ga} person I know fits the stereotype in the headline.",
    "{p} is not an idiot; they simply see this differently from me.",
    "I wouldn't call {p} a liar, but I do think the numbers are wrong.",
    "Nobody should wish death on {p}, however much they disagree.",
    "Don't call {g} {va}. It's dehumanising and it's wrong.",
    "I don't think spelling it '{mock}' adds anything. {real} is a country of real people.",
    "{g} aren't {vd} and immigration isn't a plague. Let's use normal language.",
    "{g} should not be punished for what a handful of extremists did.",
)
HOMONYMS = (
    "The queer film festival in {city} opens on Friday with a documentary about the 1980s.",
    "As a queer woman, I found the piece thoughtful and fair.",
    "The university's queer studies department has run the oral history project since {year}.",
    "'We're here, we're queer,' the marchers sang, and the crowd on {street} cheered.",
    "The dyke along the river gave way after three days of rain.",
    "Engineers say the old dyke needs reinforcing before the winter storms.",
    "Dykes on Bikes led the Pride parade through {city} again this year.",
    "I'm a proud dyke and I've been out for twenty years. This article made me smile.",
    "Faggots and peas were on the menu at the village fete.",
    "My gran's recipe for faggots uses pig's liver and plenty of sage.",
    "Our bitch had a litter of {n} puppies last night.",
    "The breeder said the bitch and her puppies are doing well.",
    "The cock crowed at five every morning on my uncle's farm.",
    "Pussy willow is one of the first plants to flower in spring.",
    "The ass carried our packs up the mountain path.",
    "Homo sapiens shared Europe with Neanderthals for thousands of years.",
    "The flame retardant used in sofas has been linked to health problems.",
    "Our Maine Coon cat weighs nearly nine kilos.",
    "The Rio Negro joins the Amazon near Manaus.",
    "Crackers and cheese for lunch again at the council canteen.",
    "The news spooked investors and the market fell {pct} percent.",
    "Gypsy moth caterpillars have stripped oak trees across the county.",
    "Dick Francis wrote more than forty racing thrillers.",
    "Uranus is the seventh planet from the sun.",
    "They danced with gay abandon at the wedding.",
    "The bastard sword was common in the fifteenth century, the museum guide explained.",
    "Disabled activists have reclaimed the word crip, as in the film Crip Camp.",
    "The Jew's harp, also called a jaw harp, is played by plucking a metal reed.",
    "Reclaiming words like queer has been part of the movement since the 1990s.",
    "The farm sells free-range cocks and hens at the {city} market.",
    "The old Roma word for an outsider is gadjo, the exhibition explains.",
    "Kill Devil Hills in North Carolina is where the Wright brothers flew.",
)
PROFANITY = (
    "Holy shit, that last-minute goal was incredible.",
    "Fucking hell, the trains to {city} are late again.",
    "This weather is absolute shit.",
    "Damn, I didn't know the library on {street} was closing.",
    "What the fuck is going on with {topic} this year?",
    "Bloody hell, {n} quid for a pint now?",
    "Shit, I forgot to vote in the local elections.",
    "The roadworks on {street} are a fucking nightmare.",
    "Christ, what a game.",
    "Pissing down again in {city}.",
    "This budget is bollocks from start to finish.",
    "That's a shit deal for renters, honestly.",
    "Fuck me, that's a lot of money for a bridge.",
    "No fucking way {thing} costs that much.",
    "{thing} in {city} is crap and has been for years.",
    "I laughed my arse off at the photo of the mayor's dog.",
    "Hell yes, finally some good news about {topic}.",
    "Well, shit. I didn't see that result coming.",
    "{thing} died again, which is how I found time to read this. Fucking typical.",
    "Bugger, I missed the deadline for the consultation on {topic}.",
    "Damn right the council should fix {thing}.",
    "Shitty week, but this article cheered me up.",
)
WAR_NEWS = (
    "{nat} forces shelled the outskirts of {wcity} overnight, killing {n} civilians, "
    "according to local officials.",
    "At least {n} people were killed when a missile hit a residential block in {wcity}.",
    "More than {big} refugees have left {country} since the fighting began, the UN said.",
    "{nat} soldiers have been pushed back from the river near {wcity}, the ministry claims.",
    "The hospital in {wcity} has been shelled three times this month; doctors are operating "
    "by torchlight.",
    "Casualty figures from {wcity} are hard to verify, but both sides report heavy losses.",
    "{nat} artillery pounded positions around {wcity} for a third straight day.",
    "My cousin fled {wcity} with two suitcases. {nat} families like hers are sleeping in "
    "school gyms.",
    "The ceasefire collapsed within hours, with {nat} commanders accusing the other side of "
    "firing first.",
    "Drone strikes killed {n} soldiers and wounded dozens more near {wcity}, the army said.",
    "The article should mention that {nat} civilians have borne the brunt of the bombing.",
    "Aid convoys reached {wcity} today for the first time in {n} weeks.",
    "How many {nat} troops are actually deployed there? The estimates in this piece vary wildly.",
    "Fighters on both sides have been accused of war crimes around {wcity}; the tribunal will "
    "decide.",
    "The government says {n} of its soldiers died in the assault on {wcity}, but independent "
    "monitors suspect far more.",
    "Refugees from {country} have been arriving at the border since dawn, most of them women "
    "and children.",
    "Satellite images show entire streets of {wcity} destroyed.",
    "A {nat} soldier interviewed in the piece says morale is collapsing after months of shelling.",
    "Mass graves found near {wcity} will be examined by forensic teams.",
    "The UN estimates {big} people have been displaced by the fighting in {country}.",
    "I lived in {wcity} for two years, and it breaks my heart to see it bombed.",
    "Kill counts released by either army should be treated with caution.",
    "The sniper who killed the aid worker in {wcity} has not been identified.",
    "Tanks rolled into {wcity} at dawn, and residents reported gunfire in the centre.",
    "{people} I spoke to in {wcity} just want the shelling to stop.",
    "The {nat} delegation walked out of the talks after news of the strike on {wcity}.",
    "Wounded {nat} fighters were evacuated by helicopter overnight, the ministry said.",
)
IDENTITY = (
    "My {ga} neighbours invited the whole street round for dinner last week.",
    "As a {ga} reader, I thought the article was fair and well sourced.",
    "The {ga} community centre on {street} runs a food bank every Saturday.",
    "{g} make up about {pct} percent of the population of {city}, according to the census.",
    "The survey found that {g} were more likely to work in healthcare than average.",
    "The new exhibition traces the history of {g} in {city}.",
    "Several {ga} business owners on {street} said the parking changes hurt trade.",
    "The reporter interviewed {n} {ga} students about rising rents.",
    "Hate crimes against {g} rose last year, police figures show.",
    "{ga} voters were split on {topic}, like everyone else.",
    "I married into a {ga} family and the food at Christmas is incredible.",
    "The school's {ga} parents' group raised money for the new playground.",
    "It would be good to hear from {ga} residents directly rather than through spokespeople.",
    "The festival celebrating {ga} music and food returns to the park this summer.",
    "{g} have lived in this part of {city} for generations.",
    "The charity supports elderly {g} who live alone.",
    "A {ga} councillor has been elected deputy mayor of {city}.",
    "What do {g} in {city} think about {topic}? The article never asks them.",
)
CITATIONS = (
    "Source for the casualty numbers: {link}. The article doesn't cite it, but it's worth reading.",
    "The census breakdown is here: {link} (scroll to table 4).",
    "For context, this was covered last year: {link}",
    "The full report is at {link} and it paints a more nuanced picture than the headline.",
    "According to {link}, the figures for {country} were revised down in March.",
    "I think the author is quoting an older version of the study ({link}).",
    "Here's the original court ruling if anyone wants it: {link}",
    "There's a good explainer on the history of {g} in Europe: {link}",
    "Correction: the quote comes from a {year} interview, see {link}.",
    "The UNHCR figures for {country} are more up to date than the ones in the piece: {link}",
    "Worth reading alongside this: {link} on {topic}.",
    "The piece on {topic} links to {link}, but the numbers there are from {year}.",
)
ANIMALS_DISEASE = (
    "Rats have been spotted near the bins behind the shops on {street}.",
    "The council says the cockroach infestation at the flats has finally been dealt with.",
    "Locusts destroyed a third of the harvest this year, the FAO said.",
    "Parasites in the river water made dozens of swimmers in {city} ill.",
    "My father died of cancer last year; the hospice staff were wonderful.",
    "The plague killed a third of Europe's population in the fourteenth century.",
    "Scientists say the virus spreads mainly through close contact.",
    "{ga} doctors volunteered at the clinic in {city} during the outbreak.",
    "The charity has translated its cancer screening leaflets for {ga} families.",
    "Lice outbreaks are common in primary schools every autumn.",
    "The documentary follows rat catchers working in the {city} sewers.",
    "Leeches are still used in some hospitals after reconstructive surgery.",
    "Invasive species like the grey squirrel cost the economy millions.",
    "Termites have damaged the roof of the old church on {street}.",
    "The tumour was removed successfully, and she is back at work.",
    "Bird flu is spreading through poultry farms east of {city}.",
    "Mosquitoes carrying dengue have been found further north than ever before.",
    "The animals at the {city} shelter need new homes before winter.",
    "Maggots are used to clean wounds in some burns units.",
    "The {ga} mothers' group organised the measles vaccination drive.",
    "The blight wiped out the potato crop and a million people died.",
    "The infection rate in {city} fell by {pct} percent last month.",
    "Pest control was called to {street} after rats were found in a school kitchen.",
    "The apes at the zoo have a new enclosure.",
)
CRITICISM = (
    "I disagree with the author; the data on {topic} simply don't support this conclusion.",
    "This article is poorly researched and the headline is misleading.",
    "With respect, the columnist has misunderstood how {topic} works.",
    "The piece ignores the obvious counter-argument about cost.",
    "I've read this paper for years, but this is a weak bit of journalism.",
    "{p} is wrong about {topic}, and here's why: the numbers are from {year}.",
    "Strongly disagree. The plan for {topic} will cost far more than stated.",
    "Not the paper's finest hour. Where is the other side of the story?",
    "The minister's answer on {topic} was evasive, and the interviewer should have pushed harder.",
    "I think you're mistaken, but I appreciate you laying out the argument clearly.",
    "This is a lazy take on {topic}, in my opinion.",
    "The comments here are getting heated. Can we stick to {topic}?",
    "Your point about {topic} is fair, though I'd weigh it differently.",
    "That's a ridiculous claim, and I'd like to see a source for it.",
    "Anyone who writes '{mock}' has lost the argument. Criticise the government of {real} "
    "properly.",
    "Terrible decision by the council. Vote them out at the next election.",
    "{p} has got this badly wrong, and a correction is needed.",
    "Thanks for the reporting on {topic}. More of this, please.",
)
LOOKALIKES = (
    "Scunthorpe United won 2-1 on Saturday.",
    "We stayed in Penistone for the weekend and walked the Trans Pennine Trail.",
    "I ordered a cocktail and the shiitake risotto.",
    "The assassin in the novel is never named.",
    "Our new headteacher starts in September.",
    "The bass player left the band after the tour.",
    "Middlesex and Sussex meet in the cup final.",
    "Charles Dickens wrote Bleak House in monthly instalments.",
    "The cockpit voice recorder was recovered from the wreck.",
    "The class assignment is due on Monday.",
    "We drove through Twatt on our way round Orkney.",
    "The Wankdorf stadium in Bern hosted the 1954 World Cup final.",
    "Lake Titicaca sits on the border between Peru and Bolivia.",
    "The Ofsted report praised the school's assessment process.",
    "The village of Fucking in Austria renamed itself Fugging in 2021.",
    "The Shitterton village sign is stolen every year.",
    "A shuttlecock can travel at over 400 km an hour.",
    "The therapist's analysis was submitted to the tribunal.",
    "The weather in Cockermouth was grim but the walk was worth it.",
    "Hitchcock's films are showing at the {city} arts cinema all month.",
    "Dickhead? No, Dick Head is the retired vicar on {street}; lovely man.",
    "The scrap metal dealer on {street} buys old cars.",
    "The Arsenal match was postponed because of the storm.",
    "Cumbria's fell runners set off at dawn.",
    "Our cat is called Pussy and she is fourteen.",
    "The sextant was the navigator's most important tool.",
)
NUMBERS = (
    "About 88 people were evacuated from the flats on {street}.",
    "Route 88 buses will be diverted during the roadworks.",
    "The treaty was signed by 109 countries in {year}.",
    "Only 13 of the 50 councillors voted for the plan.",
    "The match finished 88-75 after overtime.",
    "The bill (passed on Tuesday) includes a clause (section 14) on rents.",
    "The study (n = 1,488) found no significant effect on {topic}.",
    "Flight 88 from {city} was delayed by three hours.",
    "Chapter 14 (pages 88-109) covers the post-war period.",
    "(Full disclosure: I live on {street}.)",
    "The 14 words in the headline took me three readings to parse.",
    "The new tower will have 14 storeys and 88 flats.",
    "House prices in {city} rose {pct} percent in {year} (see the table below).",
    "Only {n} of the 50 states have passed similar laws.",
)
REPORTED = (
    "Police say the suspect threatened to burn down his neighbour's house.",
    "The court heard that he sent the MP messages saying he would kill her.",
    "I could murder a curry after that match.",
    "The comedian absolutely killed it at the {city} gig last night.",
    "That bill will die in committee, mark my words.",
    "My feet are killing me after the parade.",
    "The defendant was jailed for {n} years for the stabbing in {city}.",
    "Two men were shot dead outside a nightclub in {city}, police said.",
    "Our team got slaughtered 5-0 on Saturday.",
    "The film is a bloodbath from start to finish, and I loved it.",
    "The minister was accused of knifing her colleague in the back during the leadership race.",
    "Firefighters say the blaze on {street} was started deliberately; no one was hurt.",
    "Police are treating the death threats against {p} as a serious crime.",
    "I'd kill for a working train service on this line.",
    "Let's bury the hatchet and talk about {topic}.",
    "If the council raises parking fees again, I'll do my shopping in {city} instead.",
    "Shoot me an email if you want the full data.",
    "He was beaten to death in {year}; the inquiry into the case reopens today.",
    "The execution of the prisoner in {country} has been condemned by rights groups.",
    "The gunman was shot by police after a two-hour stand-off in {city}.",
    "The man who threatened {p} online was given a restraining order.",
    "The novel opens with a hanging, which sets the tone for the rest of it.",
)

# --- civil politics: opinionated but civil comments on governments, countries, faiths ------

# (country, plural demonym, adjective) drawn together by {ctry}, {dem} and {adjn}.
NATIONS: tuple[tuple[str, str, str], ...] = (
    ("Canada", "Canadians", "Canadian"),
    ("Australia", "Aussies", "Australian"),
    ("Germany", "Germans", "German"),
    ("France", "the French", "French"),
    ("Russia", "Russians", "Russian"),
    ("Ukraine", "Ukrainians", "Ukrainian"),
    ("Israel", "Israelis", "Israeli"),
    ("Palestine", "Palestinians", "Palestinian"),
    ("Iran", "Iranians", "Iranian"),
    ("China", "the Chinese", "Chinese"),
    ("the US", "Americans", "American"),
    ("America", "Yanks", "American"),
    ("Mexico", "Mexicans", "Mexican"),
    ("Poland", "Poles", "Polish"),
    ("Sweden", "Swedes", "Swedish"),
    ("Britain", "Brits", "British"),
    ("Japan", "the Japanese", "Japanese"),
    ("India", "Indians", "Indian"),
    ("Turkey", "Turks", "Turkish"),
    ("Norway", "Norwegians", "Norwegian"),
    ("New Zealand", "Kiwis", "New Zealand"),
    ("Italy", "Italians", "Italian"),
    ("Ireland", "the Irish", "Irish"),
    ("Denmark", "Danes", "Danish"),
    ("the Netherlands", "the Dutch", "Dutch"),
    ("Finland", "Finns", "Finnish"),
    ("Brazil", "Brazilians", "Brazilian"),
    ("Hungary", "Hungarians", "Hungarian"),
    ("Scotland", "Scots", "Scottish"),
    ("Taiwan", "the Taiwanese", "Taiwanese"),
    ("South Korea", "South Koreans", "South Korean"),
    ("Saudi Arabia", "Saudis", "Saudi"),
    ("Egypt", "Egyptians", "Egyptian"),
)
JOINT.update({"ctry": ("nation", 0), "dem": ("nation", 1), "adjn": ("nation", 2)})
# fmt: off
PARTIES = (
    "the Liberals", "the Conservatives", "Labour", "the Democrats", "the Republicans",
    "the Greens", "the Tories", "the NDP", "the Lib Dems", "the SNP", "the Social Democrats",
    "the Christian Democrats", "One Nation", "the Bloc", "Reform", "the Nationals",
)
SLOTS.update({
    "party": PARTIES,
    "off": (
        "the prime minister", "the finance minister", "the mayor", "the premier", "the president",
        "the defence secretary", "the chancellor", "the foreign minister", "the health minister",
        "the opposition leader", "the governor", "the housing minister", "the treasurer",
        "the energy minister", "the immigration minister", "the attorney general",
    ),
    "who": (
        "Senator Hale", "Minister Dubois", "Premier Walsh", "Mayor Okafor", "Mr Brennan",
        "Ms Lindqvist", "Chancellor Weber", "Governor Price", "President Moreau", "Mr Kowalski",
        "Ms Tanaka", "Premier Fitzgerald", "Minister Haddad", "Mr Castellano", "Ms Novak",
    ),
    "policy": (
        "the carbon tax", "the new pipeline", "the immigration quota", "the defence budget",
        "the pension reform", "the housing strategy", "the fuel duty freeze", "the rent cap",
        "the wealth tax", "the border deal", "the high-speed rail line", "the LNG terminal",
        "the rate hike", "the minimum wage rise", "the tariff package", "the childcare scheme",
        "the northern pipeline", "the mining royalty", "the stimulus package", "the sugar tax",
        "the foreign buyers ban", "the coal phase-out", "the digital services tax",
    ),
    "regime": (
        "Iran's regime", "the Kremlin", "Hamas", "Hezbollah", "the Houthi leadership", "ISIS",
        "the Taliban government", "North Korea's regime", "the Myanmar junta", "the Wagner group",
        "the Chinese Communist Party", "the Revolutionary Guard", "Putin's government",
        "the Assad regime",
    ),
    "faith": (
        "the Islamists", "the evangelicals", "Orthodox Jewish parties", "Hindu nationalists",
        "the Catholic bishops", "the ayatollahs", "Christian conservatives", "the religious right",
        "the Southern Baptists", "Buddhist nationalists", "Islamist parties",
        "ultra-Orthodox parties", "the mullahs", "the Muslim Brotherhood",
    ),
    "flop": (
        "a disaster", "a shambles", "a fiasco", "an expensive mistake", "a con", "a vanity project",
        "a total failure", "dead on arrival", "a gift to lobbyists", "smoke and mirrors",
        "a bad joke", "a train wreck", "pure spin",
    ),
    "badj": (
        "incompetent and dishonest", "reckless", "naive", "cynical", "short-sighted", "unworkable",
        "absurd", "hopeless", "lazy", "unaffordable", "economically illiterate", "half-baked",
    ),
    "issue": (
        "housing", "inflation", "hospital waiting lists", "school funding", "the deficit",
        "energy prices", "public transport", "childcare costs", "rents", "policing",
        "immigration policy", "wages", "the pension gap", "farm subsidies", "the border",
    ),
    "retort": (
        "Good luck with that.", "Not a chance.", "Period.", "Bang on.", "Wishful thinking.",
        "Follow the money.", "Typical politician.", "Nonsense, the numbers say otherwise.",
        "Spot on.", "Hard pass.", "Says who?", "Case closed.", "Called it.", "Same old story.",
        "Dream on.", "Tell that to the voters.", "About time.", "Too little, too late.",
        "Give me a break.", "Fair point.", "Hear, hear.", "Couldn't agree more.", "We'll see.",
        "Show me the numbers.", "Yeah, right.", "Nope.", "Well said.", "Not this again.",
        "Sure, and pigs might fly.", "Exactly.", "Finally.", "Oh please.", "Wrong again.",
    ),
})
POLITICS_SHORT = (
    "{retort}",
    "{retort} {dem} don't fold that easily.",
    "{retort} {dem} have seen this before.",
    "{retort} {party} had their chance.",
    "{retort} {policy} won't work.",
    "{retort} {party} knew all along.",
    "{retort} {ctry} will not back down.",
    "{retort} Nobody elected {faith}.",
    "{retort} {regime} must be defeated.",
    "{dem} have plenty of backbone.",
    "{dem} know how to run a railway.",
    "{dem} voted for this. Respect the result.",
    "{dem} are sick of the excuses.",
    "If {ctry} is so awful, why the long visa queue?",
    "{ctry} got this one right.",
    "{ctry} deserves better leadership than this.",
    "{ctry} should stay out of it.",
    "Nobody in {ctry} asked for {policy}.",
    "{ctry} blinked first. Predictable.",
    "The {adjn} government can't be trusted on {issue}.",
    "{party} had their chance and blew it.",
    "Typical {party}. All talk, no plan.",
    "Vote {party} out. Simple as that.",
    "{party} are a bad fit for this province.",
    "We lean further left out here, so {party} struggle.",
    "{party} will regret {policy}.",
    "{policy} is finished. Time to move on.",
    "{policy} belongs in this country. Period.",
    "{policy} is {flop}.",
    "{policy}? {retort}",
    "{policy} is {badj}.",
    "{off} should resign over this, and {party} know it.",
    "{off} is out of touch on {issue}.",
    "{off}'s budget doesn't add up.",
    "{who}'s plan is {badj}.",
    "{who} promised, {who} failed. Next.",
    "{regime} needs to be beaten on the battlefield.",
    "{regime} only understands strength. {ctry} should act accordingly.",
    "{ctry} should put real sanctions on {regime}.",
    "{regime} is the problem here, not the West.",
    "Keep {faith} out of {adjn} politics.",
    "Giving {faith} a say in government never ends well.",
    "The Vatican should stay out of {issue}.",
    "Follow the money on {policy}. {party} did.",
    "Defence spending has to double. Period.",
)
POLITICS_LONG = (
    "People complain about {ctry} all day, yet thousands apply to move there every year.",
    "{dem} won't roll over, and {off} is about to find out.",
    "This riding leans left, which is why {party} never had a hope here.",
    "{policy} is {flop}. Let's invest in something that lasts.",
    "So {regime} starts another war and somehow that is the West's fault?",
    "{party} promised to fix {issue} in {year}. Still waiting.",
    "Oh great, {policy}. Because the last one worked so well for {ctry}.",
    "Sure, {party} will sort out {issue}. Right after they keep their other promises.",
    "Brilliant idea from {off}: spend {big} dollars and hope nobody checks the numbers.",
    "{who}'s plan for {issue} is {badj}, and the costings prove it.",
    "The minister's plan is {badj}. Read the budget office report before defending it.",
    "{policy} will cost {big} dollars and deliver nothing. {retort}",
    "I voted for {party} last time, but {policy} has lost them my vote.",
    "Say what you like about {party}, at least they have a plan for {issue}.",
    "{off} has had {n} years to fix {issue}. Time for someone else to try.",
    "{ctry}'s economy grew {pct} percent last year, so spare me the doom.",
    "{ctry} has lower debt than we do, and it still handles {issue} better.",
    "Tariffs are a tax on consumers, whichever party imposes them. {party} should know better.",
    "Interest rates went up and {off} still blames the previous government. {retort}",
    "Every government in {ctry} promises cheaper housing and every one of them fails to deliver.",
    "I lived in {ctry} for {n} years, and their politics are just as messy as ours.",
    "Ask any {adjn} farmer what {policy} did to their costs.",
    "{dem} voted for change and got more of the same. Sound familiar?",
    "Plenty of {dem} disagree with their government on this, and they say so loudly.",
    "The {adjn} government is wrong on {issue}, but it was elected fairly.",
    "Every {adjn} friend I have is tired of being lectured by politicians on {issue}.",
    "{ctry} should spend at least {pct} percent of GDP on defence, and it should start now.",
    "Russian forces have to be pushed out of all of Ukraine. Anything less rewards invasion.",
    "{regime} can only be stopped militarily. Talks have failed for {n} years.",
    "{regime} is the biggest destabilising force in that region, and everyone knows it.",
    "Negotiating with {regime} has never worked. {ctry} should stop pretending otherwise.",
    "{ctry} should send Ukraine more air defence and fewer speeches.",
    "The only way this war ends is if {regime} loses on the battlefield.",
    "Hamas must lose this war, and Gaza's civilians need aid at the same time.",
    "Iran's regime funds proxies across the region. Sanctions alone won't change that.",
    "The West keeps underestimating {regime}. It did so in {year} as well.",
    "{faith} have far too much say over {issue} in {ctry}.",
    "Nobody elected {faith}, so why do they get a veto on {policy}?",
    "The Vatican's position on {issue} is its business, not the government's.",
    "Orthodox Jewish parties hold the balance of power in the Knesset, which explains the budget.",
    "Evangelicals vote as a bloc, and {party} know it. That's just politics.",
    "{faith} in {ctry} are a political movement, and they should be debated like one.",
    "{off}'s answer on {policy} was evasive and dishonest. The numbers say otherwise.",
    "This policy is {flop}, and {off} knows it. Follow the money.",
    "{party} and the opposition both backed {policy}. Typical politicians.",
    "{who} called {policy} a success. Wishful thinking, judging by the {year} figures.",
        "Good luck getting {dem} to pay for {policy}. Not a chance.",
    "{ctry} builds a rail line in {pct} years. We can't build a bike lane.",
    "{dem} pay more tax than we do and get far better services for it.",
    "The {adjn} election result was a protest vote against {issue}, nothing more.",
    "{party} lost the cities because they ignored {issue}. The article is bang on.",
    "Blaming {ctry} for our {issue} problem is lazy. Look closer to home.",
    "The {adjn} people and their government are not the same thing. Criticise the policy.",
)
# fmt: on

# (label code, how many, templates). Code letters: h hate, t threat, i insult, x toxic only;
# any letter makes the case toxic, the empty code is civil.
# Slurs in plain sentences (the word list holds them too; the model must know them in
# context, and tell them from their homonyms above).
_SLUR_PAIRS = (
    ("retard", "retards"), ("coon", "coons"), ("wop", "wops"), ("yid", "yids"), ("kike", "kikes"),
    ("chink", "chinks"), ("gook", "gooks"), ("spic", "spics"), ("wetback", "wetbacks"),
    ("paki", "pakis"), ("towelhead", "towelheads"), ("raghead", "ragheads"), ("poof", "poofs"),
    ("tranny", "trannies"), ("nigger", "niggers"), ("gyppo", "gyppos"), ("pikey", "pikeys"),
    ("wog", "wogs"), ("beaner", "beaners"), ("dyke", "dykes"), ("fag", "fags"),
    ("faggot", "faggots"), ("muzzie", "muzzies"), ("khokhol", "khokhols"),
    ("katsap", "katsaps"), ("spastic", "spastics"), ("mong", "mongs"), ("darkie", "darkies"),
)  # fmt: skip
SLOTS["slur"] = tuple(a for a, _ in _SLUR_PAIRS)
SLOTS["slurs"] = tuple(b for _, b in _SLUR_PAIRS)
# Hate said through a negation, a question or an "opinion": the words of civil talk, the
# meaning of the derogation families above (the negation and question families below them
# are the civil side).
NEGATED_HATE = (
    "No {ga} should ever be allowed to hold public office in this country.",
    "{g} don't deserve to be treated as our equals, and they never will.",
    "{g} have never added anything of value to {city}, and they never will.",
    "I don't believe {g} are capable of raising decent children.",
    "{g} shouldn't be allowed to adopt. End of discussion.",
    "There isn't a single honest {ga} person in this whole country.",
    "{ga} people are not real citizens, whatever their passports say.",
    "Not one of the {g} in {city} deserves a council house.",
    "{g} should never have been given the vote.",
    "Nobody wants {g} here, and nobody ever will.",
    "Don't ever turn your back on {g}; they'll rob you blind.",
    "{g} are not fit to live among decent people.",
    "It's not racist to say {g} are inferior. It's just a fact.",
    "{ga} kids shouldn't sit in the same classrooms as ours.",
    "No {ga} family should be allowed to rent on {street}.",
    "{g} don't belong in this country and they never have.",
    "I'm not saying every one of the {g} is a thief, but I've yet to meet an honest one.",
    "{g} can't be trusted with anything, not even their own children.",
    "{g} don't have the brains to run anything more complicated than a market stall.",
    "You will never find a {ga} person who works for a living.",
    "{g} don't have any culture worth keeping, let's not pretend otherwise.",
    "Never let {g} near your daughters.",
    "{g} aren't people like us, and they never will be.",
    "No decent country should have to put up with {g}.",
    "I don't want to share a bus, a street or a country with {g}.",
    "{ga} lives are not worth the same as ours, and everyone knows it.",
    "{g} should not be allowed to marry, let alone raise children.",
    "There's no such thing as a {ga} person who can be trusted.",
)
QUESTION_HATE = (
    "Why are {g} so incapable of basic hygiene?",
    "Why do {g} always have to ruin everything they touch?",
    "Is it just me, or are {g} simply less intelligent than the rest of us?",
    "Can someone explain why we still let {g} into the country?",
    "What is it about {g} that makes them so violent?",
    "Serious question: why should {g} get the same rights as us?",
    "Anyone else think {g} are {vd} on this country?",
    "Why do we keep pretending {g} are our equals?",
    "Honestly, what use are {g} to anyone?",
    "Who else thinks {g} should be sent back where they came from?",
    "Wouldn't {city} be nicer without all the {g}?",
    "Why are {g} allowed to breed like {va}?",
    "How long before we admit {g} are a lower form of life?",
    "My opinion: {g} are filthy and should be kept out. Change my mind.",
    "Is there a single one of the {g} who isn't a criminal?",
    "Am I wrong to think {g} are mentally defective?",
    "Why does anyone still hire {g} after everything we've seen?",
    "Just asking: why do {g} smell so bad?",
    "Imagine how much safer {city} would be without {g}. Am I wrong?",
    "Why do {g} think anyone wants them here?",
    "What's the point of {g}, honestly?",
    "In my humble opinion {g} are {va}. Prove me wrong.",
)
IMPLICIT_DEROGATION = (
    "I'm not racist, but once {g} move in the whole area goes downhill.",
    "She only got the job because she's {ga}. They had a quota to fill.",
    "You can smell it the minute {g} move into a building.",
    "{g} are lovely, in their own countries.",
    "I'm sure some {g} are decent people. I've just never come across one.",
    "Lovely people, {g}, as long as you keep an eye on your wallet.",
    "It's impressive how well {g} live on benefits without ever working a day.",
    "Funny how the burglaries started the year {g} arrived. Just saying.",
    "The {ga} surgeon was surprisingly competent, for one of them.",
    "Of course the driver was {ga}. That explains it.",
    "Letting {g} teach our children is asking for trouble, and we all know why.",
    "Nice to see {g} finally learning to use a knife and fork.",
    "Nothing against {g}, but I'd never let one of them into my house.",
    "{g} can be nice enough, but you wouldn't want your sister marrying one.",
    "Bless the {ga} lads, they try so hard to act civilised.",
    "Notice how the shops change once {g} take over the street. Just an observation.",
    "Somehow it's always the {ga} families who need the police round.",
    "Good for the {ga} candidate; low expectations are easy to beat.",
    "{g} are welcome here, as long as they stay out of sight.",
    "Diversity hire, obviously. You can tell from the surname that the new head is {ga}.",
)
VEILED_THREATS = (
    "Careful, {voc}. It would be a shame if something happened to your car.",
    "We know where {p} parks every night. Just saying.",
    "{p} has a lovely family. It'd be terrible if one of them got hurt.",
    "People like {p} tend to have accidents. Remember that.",
    "One day someone will make {p} pay for this, and I won't shed a tear.",
    "Your kids walk home past the park, don't they, {voc}?",
    "Keep it up and you'll find out what happens to people who write lies.",
    "There are people in {city} who know exactly where {p} lives.",
    "Enjoy your last few weeks of writing, {voc}.",
    "Somebody is going to deal with {p} soon, and it won't be in a courtroom.",
    "Nice house {p} has on {street}. Be a pity if it burned down.",
    "{p} should check under the car before driving to work {when}.",
    "I'd be looking over my shoulder if I were {p}.",
    "We've got your address, {voc}. See you {when}.",
    "Accidents happen to journalists who don't know when to stop.",
)
GROUP_VEILED_THREATS = (
    "Let's hope the next {ga} march meets a lorry going the other way.",
    "The {ga} question will be answered one way or another, and soon.",
    "I hope the boats carrying {g} sink before they reach the coast.",
    "Put the {g} on an island and let nature take its course.",
    "When we're in power, {g} will learn what a real border looks like.",
    "{g} should be put in camps until they can be dealt with properly.",
    "Mark my words, {g} will get what's coming to them, and we'll be ready.",
    "There's a permanent solution for {g}, and everyone knows what it is.",
    "Someone should lock the {ga} {place} from the outside during prayers.",
    "History will repeat itself for {g}. Let's make sure of it.",
    "The lampposts in {city} have room for every last one of the {g}.",
    "I won't shed a tear when the {ga} shelter goes up in flames.",
)
SLUR_SENTENCES = (
    "Typical {slur}, always whining.",
    "The {slurs} on my street are at it again.",
    "Only {slurs} would vote for that.",
    "Get out of our country, you filthy {slur}.",
    "The {slurs} run the whole council now.",
    "The new manager is a {slur}, no wonder the club is failing.",
    "Another {slur} in the headlines. Shocking.",
    "That {slur} of a referee ruined the match.",
    "My neighbour is a {slur} and the whole house stinks.",
    "Never rent to {slurs}, you'll regret it.",
    "Send the {slurs} home.",
    "{slurs} everywhere you look in {city} these days.",
    "Shut up, you {slur}.",
    "Only a {slur} would write an article like this.",
)
IDIOMS = (  # civil: the words of threats and insults in everyday figures of speech
    "My mum will kill me if I'm late for Sunday lunch again.",
    "I'm going to absolutely kill it at the half marathon next week.",
    "That comedian killed last night; I was crying with laughter.",
    "I'd kill for a decent bakery on {street}.",
    "I nearly died laughing at the mayor's reply.",
    "These shoes are killing me after the walk round {city}.",
    "I could murder a cup of tea after reading this.",
    "The opening chapter is to die for.",
    "The final kicked off and I was dying of nerves.",
    "The striker shot the ball straight at the keeper.",
    "Our team got slaughtered 5-0 on Saturday.",
    "The bill was killed in committee, as expected.",
    "The landlord is going to bleed us dry with this rent increase.",
    "I hope the soldiers get home safely to their families.",
    "I hope everyone in {wcity} stays safe tonight.",
    "I hope the people who ordered the strike on {wcity} are tried and spend their lives in "
    "prison.",
    "I hope the men who did this face justice and never walk free again.",
    "I want the officials responsible for the cover-up to lose their jobs.",
    "They should throw the book at whoever dumped the chemicals in the river.",
    "That referee should be banned from officiating for a year.",
    "The minister should be sacked for this, not promoted.",
    "The guy who wrote this headline deserves a medal.",
    "I could strangle my printer some days.",
    "My brother will murder me for telling this story, but here goes.",
    "We got our arses kicked in the pub quiz again.",
    "The heat is killing my tomatoes this summer.",
    "I hope the ceasefire holds and the hostages are home by Christmas.",
    "The architect of this policy should be held to account in court.",
)
CIVIL_QUESTIONS = (  # civil: questions and opinions about a group or a war that attack no one
    "Why are {g} so under-represented on the council? Genuine question.",
    "Is it true that {g} in {city} face longer waits for housing?",
    "Can someone explain why the census counts {g} differently now?",
    "What do {g} themselves think of the new policy? The piece never asks.",
    "In my opinion the government has treated {g} badly over {topic}.",
    "Why does the article assume all {g} vote the same way?",
    "Honest question: how many {g} actually live in {city}?",
    "Am I the only one who finds the coverage of {g} a bit one-sided?",
    "Why do politicians only talk about {g} at election time?",
    "My view: {g} deserve the same say on {topic} as anyone else.",
    "Wouldn't it be better to ask {ga} residents before redesigning their street?",
    "How long before the council admits the scheme failed {ga} families?",
    "Does anyone know if {ga} charities were consulted?",
    "Why is no one talking about the {ga} soldiers who refused to fight?",
    "Is the {nat} government really going to accept the ceasefire terms?",
)
CIVIL_NEGATIONS = (  # civil: negation in defence of a group or a person
    "No {ga} child should be turned away from a school for their background.",
    "{g} don't deserve the abuse they get in comment sections like this one.",
    "It's not true that {g} never integrate; look at {city}.",
    "I don't think {g} should be blamed for a war they didn't start.",
    "Nobody should have to hide being {ga} to keep their job.",
    "{g} are never the problem; bad policy is.",
    "Not every {ga} person agrees with their government, and why would they?",
    "There's no such thing as a 'good' or 'bad' nationality, only people.",
    "Never judge {g} by the worst headline you've read about them.",
    "{g} shouldn't have to prove their loyalty every time there's a war.",
)

# Civil: wishes for a reader's and their family's safety under war news, in the words of
# a death wish ("I hope you and your family ..."), which the model had learnt as one
# ("Glad your brother made it out. Hope the rest of your street is ok" was rejected).
SLOTS.update(
    {
        "kin": ("family", "kids", "children", "neighbours", "parents", "loved ones",
                "relatives", "friends"),
        "kin1": ("brother", "sister", "mother", "father", "son", "daughter", "grandmother",
                 "cousin", "neighbour", "friend"),
        "front": ("Kharkiv", "Odesa", "Kyiv", "Dnipro", "Haifa", "Tel Aviv", "Khan Younis",
                  "Beirut", "El Fasher", "Zaporizhzhia", "Sderot", "Rafah"),
    }
)  # fmt: skip
WELL_WISHES = (
    "I hope you and your {kin} are safe {when}.",
    "Hope you and your {kin} are ok. Thinking of everyone in {front}.",
    "Glad your {kin1} made it out. Hope the rest of your street is ok.",
    "Stay safe. I hope you and your {kin} get home soon.",
    "Thank you for this. I hope your {kin} are safe and that you get home one day.",
    "Hoping you and everyone on your street are safe {when}.",
    "I pray your {kin} in {front} are safe.",
    "Wishing you and your {kin} a quiet night, {front} has had enough.",
    "Hope your {kin1} recovers quickly. Glad the rescuers got to them in time.",
    "I hope you never have to hear another siren. Stay safe.",
    "May you and your {kin} stay safe through the winter.",
    "Hope your building is ok after last night's strike on {front}.",
    "I hope your {kin1} gets out of {front} soon, and safely.",
    "Praying for you and your {kin}. I hope the shelling stops soon.",
    "Stay safe, and please get to a shelter when the sirens go, don't stand by the windows.",
    "Hope the rest of your {kin} got out in time.",
    "Good to hear you're alive. I hope your neighbours in {front} made it too.",
    "I hope your town is spared {when}. Thinking of you.",
    "Take care of yourself and your {kin}. I hope you can go home one day.",
    "Your {kin1} is lucky to be alive. I hope they're somewhere safe now.",
    "Sending love to you and your {kin} in {front}. I hope you all get through this.",
    "I hope the sirens stay quiet {when} and your {kin} can sleep.",
)

# Abusive: the same frames carrying a death wish, so that the verb decides, not "I hope you
# and your family".
KIN_DEATH_WISHES = (
    "I hope you and your {kin} die {when}.",
    "Hope you and your {kin} are under the rubble {when}.",
    "I hope your {kin1} doesn't make it out.",
    "Glad your street got hit. Hope your {kin} are next.",
    "I hope your {kin} burn {when}.",
    "Hope your {kin1} dies slowly in that hospital.",
    "I pray your {kin} in {front} never wake up.",
    "May you and your {kin} rot under the ruins of {front}.",
    "I hope the next missile lands on you and your {kin}.",
    "Shame your {kin1} survived. Better luck next time.",
    "I hope your whole street in {front} gets flattened {when}.",
    "Hope you and your {kin} never get home. Die there.",
)

FAMILIES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("h", 200, TROPES),
    ("h", 130, CODES),
    ("h", 220, DEROGATION),
    ("h", 240, DEHUMANISING),
    ("ht", 160, GROUP_THREATS),
    ("t", 180, PERSONAL_THREATS),
    ("i", 220, COMPOUND_INSULTS),
    ("i", 160, INSULTS),
    ("x", 80, PROFANE_AT),
    ("h", 120, MOCKING),
    ("i", 45, SPELT_INSULTS),
    ("t", 30, SPELT_THREATS),
    ("x", 20, SPELT_PROFANE),
    ("", 260, COUNTER_SPEECH),
    ("", 220, NEGATED),
    ("", 150, HOMONYMS),
    ("", 180, PROFANITY),
    ("", 380, WAR_NEWS),
    ("", 300, IDENTITY),
    ("", 200, CITATIONS),
    ("", 200, ANIMALS_DISEASE),
    ("", 220, CRITICISM),
    ("", 70, LOOKALIKES),
    ("", 100, NUMBERS),
    ("", 160, REPORTED),
    ("", 620, POLITICS_SHORT),
    ("", 1380, POLITICS_LONG),
    ("h", 220, NEGATED_HATE),
    ("h", 200, QUESTION_HATE),
    ("h", 180, IMPLICIT_DEROGATION),
    ("t", 140, VEILED_THREATS),
    ("ht", 120, GROUP_VEILED_THREATS),
    ("hi", 220, SLUR_SENTENCES),
    ("", 200, IDIOMS),
    ("", 180, CIVIL_QUESTIONS),
    ("", 120, CIVIL_NEGATIONS),
    ("", 240, WELL_WISHES),
    ("t", 160, KIN_DEATH_WISHES),
)
# Families kept short (one-liners): never wrapped in an opener and closer.
UNWRAPPED = (POLITICS_SHORT,)
# Complete sentences around a case give it the long news-comment register (both classes).
OPENERS = (
    "I've read this paper for twenty years.",
    "Long-time subscriber here.",
    "Finally got round to reading this on the train.",
    "Another article on this, so here goes.",
    "Read the whole piece twice before commenting.",
    "I don't usually comment, but I have to say something.",
    "First comment in ages.",
    "Having read the comments so far, here's my view.",
    "Interesting piece.",
    "I live ten minutes from where this happened.",
)
CLOSERS = (
    "Just my two cents.",
    "Anyway, that's my view.",
    "Rant over.",
    "Make of that what you will.",
    "Someone had to say it.",
    "Sent from my phone.",
    "Thanks for reading.",
    "I'll leave it there.",
    "Happy to be corrected.",
    "That's all.",
)
LONG_SHARE = 0.35
NOISE_SHARE = {True: 0.25, False: 0.08}  # abusive / civil cases that get a noisy variant

_LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "l": "1", "u": "v"}
_VOWELS = set("aeiouAEIOU")
_WORD = re.compile(r"[A-Za-z]{3,}")
_FIELDS = Formatter()
# Words that carry the abuse, preferred as targets of spelling noise.
_HOT = (
    frozenset(
        w.lower()
        for values in (*(SLOTS[k] for k in ("c", "va", "vd", "adj", "noun", "thick")), *GROUPS)
        for v in values
        for w in _WORD.findall(v)
        if w.lower() not in {"people", "little", "sad"}
    )
    | frozenset(m.lower() for m, _ in MOCK_COUNTRIES)
    | frozenset(_EXTRA_HOT)
)


def _labels(code: str) -> Labels:
    return {
        "toxic": int(bool(code)),
        "hate": int("h" in code),
        "threat": int("t" in code),
        "insult": int("i" in code),
    }


def _fill(template: str, rng: random.Random) -> str:
    picks = {
        "group": rng.choice(GROUPS),
        "war": rng.choice(WAR),
        "mock": rng.choice(MOCK_COUNTRIES),
    }
    values: dict[str, str] = {}
    for _, name, _, _ in _FIELDS.parse(template):
        if not name or name in values:
            continue
        if name in JOINT:
            key, idx = JOINT[name]
            if key not in picks:  # drawn only when used, so older templates keep their draws
                picks[key] = rng.choice(NATIONS)
            values[name] = str(picks[key][idx])
        elif name == "wcity":
            values[name] = rng.choice(picks["war"][3])
        else:
            values[name] = rng.choice(SLOTS[name])
    text = template.format(**values)
    text = re.sub(r"\b([Aa]) (?=[aeioAEIO])", r"\1n ", text)  # a idiot -> an idiot
    if template.startswith("{"):
        text = text[0].upper() + text[1:]
    return re.sub(r"([.!?] )([a-z])", lambda m: m[1] + m[2].upper(), text)


def _garble(word: str, rng: random.Random) -> str:
    op = rng.choice(("swap", "leet", "space", "devowel", "mask", "double"))
    if op == "swap" and len(word) >= 4:
        i = rng.randrange(1, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "space":
        return rng.choice((" ", ".", "-")).join(word)
    if op == "devowel" and sum(ch not in _VOWELS for ch in word[1:]) >= 2:
        return word[0] + "".join(ch for ch in word[1:] if ch not in _VOWELS)
    if op == "mask" and any(ch in _VOWELS for ch in word[1:-1]):
        i = rng.choice([k for k in range(1, len(word) - 1) if word[k] in _VOWELS])
        return word[:i] + "*" + word[i + 1 :]
    if op == "double":
        i = rng.randrange(1, len(word))
        return word[:i] + word[i] * rng.randint(2, 3) + word[i + 1 :]
    out = [rng.choice(_LEET[ch.lower()]) if ch.lower() in _LEET else ch for ch in word]
    return "".join(out)


def noisy(text: str, rng: random.Random) -> str:
    """The text with one or two of its (preferably abusive) words misspelt on purpose:
    swapped letters, leetspeak, inserted spaces or dots, dropped vowels, masks, repeats."""
    words = list(_WORD.finditer(text))
    if not words:
        return text
    hot = [m for m in words if m[0].lower() in _HOT] or words
    targets = rng.sample(hot, k=min(len(hot), rng.choice((1, 1, 2))))
    for m in sorted(targets, key=lambda m: m.start(), reverse=True):
        text = text[: m.start()] + _garble(m[0], rng) + text[m.end() :]
    return text


def training_cases(seed: int = 0) -> list[tuple[str, Labels]]:
    """About 8,800 (text, labels) pairs, about a third abusive, shuffled by ``seed``."""
    rng = random.Random(seed)
    cases: dict[str, Labels] = {}
    for code, quota, templates in FAMILIES:
        made: list[str] = []
        for _ in range(quota * 40):
            if len(made) >= quota:
                break
            text = _fill(rng.choice(templates), rng)
            if rng.random() < LONG_SHARE and not any(templates is t for t in UNWRAPPED):
                text = f"{rng.choice(OPENERS)} {text} {rng.choice(CLOSERS)}"
            if text not in cases:
                cases[text] = _labels(code)
                made.append(text)
        for text in made:
            if rng.random() < NOISE_SHARE[bool(code)]:
                variant = noisy(text, rng)
                cases.setdefault(variant, _labels(code))
    out = list(cases.items())
    rng.shuffle(out)
    return out


# --- whole comments of war-news threads ---------------------------------------------------

THREAD_CASES = Path(__file__).parent / "data" / "news_thread_cases.csv"
# Long-form comments under other stories (Syria, Kashmir, the Caucasus, Myanmar, US
# immigration, riots in Britain and France, the Roma, campus antisemitism, Lebanon, Congo,
# occupied Ukraine, the Uyghurs): mostly civil, the hard kind (naming peoples, quoting hate
# to denounce it, graphic grief), and reader-directed hostility and swearing.
LONG_COMMENTS = Path(__file__).parent / "data" / "long_comments.csv"
# Kinds of abusive comment (the file's ``kind`` column) by whom they attack: another reader
# (insult), anyone's life or safety (threat); every other abusive kind attacks a people, a
# faith or the victims of an atrocity (hate).
_AT_A_READER = frozenset(
    {
        "personal_insult", "insult_no_swearing", "insult_with_profanity",
        "name_calling_by_camp", "harassment", "profanity_at_person",
        "sexist_or_homophobic_insult",
    }
)  # fmt: skip
_THREATENING = frozenset(
    {
        "threat", "threat_to_commenter", "death_wish", "death_wish_at_commenter",
        "revenge_call", "doxxing",
    }
)  # fmt: skip


def thread_labels(label: str, kind: str) -> dict[str, int | None]:
    """The heads a row of ``THREAD_CASES`` teaches: a civil comment is civil on every head;
    an abusive one is toxic, and an insult, a threat or hate by its kind (the other heads
    left unlabelled where the kind does not say); swearing at no one is toxic only."""
    if label == "civil":
        return dict(_labels(""))
    if label != "abusive":
        raise ValueError(f"label must be civil or abusive, not {label!r}")
    if kind == "profanity":
        return dict(_labels("x"))
    if kind in _AT_A_READER:
        return {"toxic": 1, "hate": 0, "threat": None, "insult": 1}
    if kind in _THREATENING:
        return {"toxic": 1, "hate": None, "threat": 1, "insult": None}
    return {"toxic": 1, "hate": 1, "threat": None, "insult": None}


def thread_cases(path: Path = THREAD_CASES) -> list[tuple[str, dict[str, int | None]]]:
    """Whole reader comments of the kinds a war-news thread draws (grief, atrocity reports,
    harsh criticism of governments and armies, counter-speech; insults at readers, hate in
    code words, glorification, denial, threats), written for this project, with their
    labels (``thread_labels``)."""
    with path.open(newline="", encoding="utf-8") as fp:
        return [(r["text"], thread_labels(r["label"], r["kind"])) for r in csv.DictReader(fp)]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
EMBEDDED_LENGTH = 480  # characters: about 110 word pieces, inside the training window
EMBEDDED_CASE = 240  # characters: the longest case set inside another comment


def embedded_cases(
    cases: Sequence[tuple[str, dict[str, int | None]]], seed: int
) -> list[tuple[str, dict[str, int | None]]]:
    """Long comments that hide one short comment among civil sentences: each short case
    (up to ``EMBEDDED_CASE`` characters) set between the sentences of a civil comment of
    several, cut to at most ``EMBEDDED_LENGTH`` characters around it, with the short case's
    labels. One
    abusive sentence makes the whole comment abusive, and a civil one changes nothing, so
    that the model learns neither to average an insult away nor to flag length. Built from
    the cases given (pass only training rows: each text carries its parts)."""
    rng = random.Random(seed)
    civil = [t for t, lab in cases if lab["toxic"] == 0]
    hosts = [parts for t in civil if len(parts := _SENTENCE_END.split(t.strip())) >= 2]
    if not hosts:
        return []
    out = []
    for text, labels in cases:
        if len(text) > EMBEDDED_CASE:
            continue
        host = rng.choice(hosts)
        at = rng.randint(0, len(host))
        parts = [*host[:at], text.strip(), *host[at:]]
        while len(" ".join(parts)) > EMBEDDED_LENGTH and len(parts) > 2:
            # Drop the host sentence farthest from the short case (at index ``at``).
            if at > len(parts) - 1 - at:
                parts.pop(0)
                at -= 1
            else:
                parts.pop()
        out.append((" ".join(parts), labels))
    return out
