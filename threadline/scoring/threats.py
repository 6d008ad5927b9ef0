"""Regular-expression scorers over normalised text: threats and death wishes, insults
aimed at the reader, and hate aimed at whole groups (dehumanising words, conspiracy
tropes). A word list cannot express "hope (you|they) die" or "<group> are animals"; these
patterns can, and they read the same folded text as the word lists (case, leetspeak,
look-alike letters, separators and letter runs undone), so "h0pe u d1e" is caught too.

Each scorer HOLDS (never rejects): a moderator reads the comment in context, since readers
also quote, report and condemn such words. No database queries.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import product
from re import _constants as sre_constants  # type: ignore[attr-defined]  # a parsed regex
from re import _parser as sre_parse  # type: ignore[attr-defined]  # ...to find its words
from typing import NamedTuple

from threadline.scoring.base import Score, ScoringContext, Verdict
from threadline.scoring.normalize import token_places, tokens

# Groups of people as commenters name them: nationalities and peoples of the conflicts news
# sites cover, religions, ethnic and political groups. Plural or singular.
_GROUP_WORDS = (  # noqa: SIM905 -- a word list reads better as text
    "jew jewish muslim moslem arab israeli palestinian gazan russian ukrainian american "
    "immigrant migrant refugee foreigner black white asian chinese mexican african gay "
    "lesbian christian catholic hindu sikh pole german chechen iranian syrian afghan kurd "
    "turk armenian azeri serb albanian gypsy roma somali pakistani indian nigerian hungarian "
    "romanian bulgarian georgian belarusian lithuanian latvian estonian greek italian "
    "brit irish scot japanese korean vietnamese filipino kazakh uzbek tajik ethiopian "
    "eritrean sudanese yemeni lebanese iraqi saudi egyptian libyan moroccan algerian "
    "haitian jamaican cuban venezuelan colombian brazilian zionist "
    "globalist liberal leftist conservative republican democrat communist tory"
).split()
_PLURAL_GROUPS = "|".join(f"{w}(?:e?s)" for w in _GROUP_WORDS)
_GROUP = (
    "(?:"
    + "|".join(
        sorted({f"{w}(?:e?s)?" for w in _GROUP_WORDS} | {"women", "men", "people"}, key=len)[::-1]
    )
    + ")"
)


def _alt(words: str) -> str:
    """A regex alternation from words separated by "|" in readable, wrapped source."""
    return "(?:" + "|".join(w.strip() for w in words.split("|")) + ")"


_THEM = _alt(
    "you|u|ya|y all|you all|you guys|them|they|him|her|he|she|all of you|all of them|your family"
)
_WHO = rf"(?:{_THEM}|(?:the |these |those |all |all the |every |every single |most )?{_GROUP})"
_VIOLENT = _alt(
    "shot|shot dead|hanged|hung|gassed|lynched|beheaded|executed|exterminated|burned alive|"
    "burnt alive|strung up|raped|tortured|slaughtered|massacred"
)
_DIE = _alt(
    "die|dies|died|be killed|get killed|gets killed|be murdered|burn|rot|suffer|croak|drop dead"
)
_MUST = _alt(
    "should|must|need to|needs to|ought to|deserve to|deserves to|will|are going to|"
    "re going to|are gonna|re gonna"
)
_I_WILL = _alt(
    "i will|i ll|i m going to|i m gonna|i am going to|i am gonna|we will|we ll|we re going to|"
    "we are going to|we re gonna|we are gonna|i shall|we shall"
)
_HARM = _alt("kill|murder|shoot|stab|hunt down|hunt|rape|behead|hang|slit|strangle|beat|burn")
_ATTACK = _alt(
    "kill|gas|shoot|nuke|exterminate|hang|slaughter|behead|burn|wipe out|eradicate|murder"
)

_THREATS: tuple[tuple[str, str], ...] = (
    # A death wished on a reader as regret that the strike missed them: "shame it wasn't
    # your block", "pity it wasn't you", "maybe next time they'll aim better"
    (
        "wishing a reader harm",
        r"\b(?:shame|pity|a pity|too bad|a shame) it (?:wasn t|was not|wasnt|isn t|is not) "
        r"(?:you|u|your (?:\w+ )?(?:block|house|flat|street|building|family|town|city|kids|"
        r"children|village|home))\b",
    ),
    (
        "death wish",
        r"\bnext time (?:they ll|they will|hopefully they|let s hope they) aim better\b",
    ),
    # "I hope you and your family die", "wish they would all just die", "hope u die"
    (
        "death wish",
        rf"\b(?:hope|wish|pray|praying|hoping) (?:that )?{_WHO}"
        r"(?: (?:and|&) (?:your|their|his|her|all) (?:\w+ ){0,2}?\w+)?"
        rf"(?: would| will| could| can| might)?(?: all| both)?(?: just)? {_DIE}\b",
    ),
    # "may you rot", "may your children die under the rubble"
    (
        "death wish",
        rf"\bmay (?:{_THEM}|(?:your|their|his|her) (?:\w+ )?"
        r"(?:children|kids|family|families|wife|husband|mother|father|parents|son|sons|"
        rf"daughter|daughters))(?: all)? {_DIE}\b",
    ),
    # "hope Putin nukes Kyiv", "just nuke Gaza": a wish to destroy a city or a country ("should
    # … nuke" is left to the model: "Should NATO glass Moscow? Of course not" is a question)
    (
        "call for violence",
        r"\b(?:hope|hoping|wish|let s|lets|just|please|time to) (?:\w+ ){0,2}?"
        r"(?:nukes?|nuking|carpet bombs?|flattens?|glasses|glass) "
        r"(?:the whole of |all of )?(?:kyiv|kiev|moscow|gaza|tel aviv|jerusalem|tehran|"
        r"beijing|washington|london|paris|berlin|warsaw|kharkiv|odesa|odessa|beirut|"
        r"israel|russia|ukraine|iran|china|palestine|lebanon|them all|the whole country)\b",
    ),
    # "let them all starve", "let them rot": a people left to die
    (
        "death wish",
        rf"\blet (?:{_THEM}|{_GROUP})(?: all| both)? (?:starve|die|rot|burn|freeze|freeze to death|"
        r"starve to death|drown|bleed)\b",
    ),
    # "finish what Hitler started", "finish the job that was started in 1945"
    (
        "call for violence",
        r"\bfinish (?:what|the job|the work)(?: that)? (?:hitler|the nazis|the fuhrer|was|were) "
        r"started\b",
    ),
    (
        "call for violence",
        r"\bfinish (?:what|the job|the work)(?: that)?(?: was| were)? started in "
        r"(?:1939|194\d)\b",
    ),
    # "if the whole of Gaza disappeared tomorrow, nobody would miss it" (said through a
    # negation, which does not excuse it)
    (
        "wishing a people gone",
        rf"\bif (?:all (?:the |of the )?|the whole of |every (?:last |single )?|the )?(?:{_GROUP}|"
        r"gaza|ukraine|russia|israel|palestine|chechnya|africa|the west bank) "
        r"(?:disappeared|vanished|were wiped out|was wiped out|died|were gone|was gone)\b"
        r"(?: \w+){0,3}? (?:nobody|no one|noone) would (?:miss|care|notice|cry)\b",
    ),
    # "should be shot", "deserve to be hanged", "must be exterminated"
    ("call for violence", rf"\b{_MUST} (?:all )?(?:be|get) {_VIOLENT}\b"),
    # "they all deserve to die", "russians should die", "you should be killed"
    (
        "death wish",
        rf"\b{_WHO}(?: all)? {_MUST}(?: all)? "
        r"(?:die|be killed|be wiped out|be eradicated|be nuked|be destroyed|burn)\b",
    ),
    (
        "death wish",
        r"\b(?:deserves?|deserved) "
        r"(?:to die|death|a bullet|the rope|the gas chamber)\b",
    ),
    # "kill all jews", "gas them all", "nuke every last one of them"
    (
        "call for violence",
        rf"\b{_ATTACK} (?:them all|them|all|every|each)"
        rf"(?: (?:the|of them|of the|single|last|one of))*(?: {_WHO}| them)?\b",
    ),
    ("call for violence", rf"\b{_ATTACK} (?:the |these |those )?{_GROUP}\b"),
    ("call for violence", r"\b(?:into|to|in) the (?:ovens|gas chambers?)\b"),
    ("call for violence", rf"\bwipe (?:them|{_GROUP}) (?:out|off the map|off the face of)\b"),
    # "I will kill you", "we're going to hunt you down and kill you"
    (
        "threat",
        rf"\b{_I_WILL} (?:find (?:you|u) and |hunt (?:you|u) down and )?{_HARM} "
        r"(?:you|u|ya|him|her|them|your)\b",
    ),
    (
        "threat",
        r"\b(?:i|we) know where (?:you|u|he|she|they|your \w+) (?:live|lives|work|works)\b",
    ),
    # veiled threats: "shame if something happened to them", "we know which house is yours"
    (
        "threat",
        r"\b(?:i|we) know which (?:house|flat|car|school|street) is (?:yours|his|hers|theirs)\b",
    ),
    (
        "threat",
        r"\b(?:shame|pity) if something (?:happened|were to happen|was to happen|happens) to\b",
    ),
    (
        "threat",
        r"\b(?:i|we) know where (?:your|his|her|their) "
        r"(?:kids|children|daughter|son|wife|husband|family) "
        r"(?:go to school|goes to school|live|lives)\b",
    ),
    # More veiled threats, the formulas of intimidation: "watch your back", "you'll get
    # what's coming to you", "people like you tend to have accidents", "when we come to
    # your door", "your address is not hard to find", "we are keeping a list"
    ("threat", r"\bwatch (?:your|ur|his|her) back\b"),
    ("threat", r"\b(?:you ll|you will|you re going to|he ll|she ll) get what s coming\b"),
    (
        "threat",
        r"\b(?:people|men|women|journalists|writers|traitors|reporters) like "
        r"(?:\w+ ){1,5}?(?:tend to |often |usually |always |might |may |could |will )?"
        r"(?:have|has|had|end up|ends up) "
        r"(?:an? )?(?:accidents?|dead|in (?:a |the )?(?:ditch|ditches|river|morgue|body bags?))\b",
    ),
    (
        "threat",
        r"\b(?:when|once|after) (?:we|i|they|our boys|the boys) (?:come|get|show up) "
        r"(?:to|at|for) (?:your|ur) (?:door|house|home|flat|family|kids|place)\b",
    ),
    (
        "intimidation",
        r"\b(?:your|ur|his|her) (?:home )?address (?:is not|isn t|is) (?:hard|difficult|easy) "
        r"to find\b",
    ),
    (
        "intimidation",
        r"\b(?:a )?reckoning for (?:\w+ ){0,2}?(?:like you|like him|like her|like them)\b",
    ),
    (
        "threat",
        r"\b(?:we|i) (?:are|re|am|m) (?:keeping|making|writing) a list\b|\b(?:we|i) will "
        r"remember (?:every|all the|each) (?:name|names|one of you)\b",
    ),
    (
        "intimidation",
        r"\ba lesson (?:you|he|she|they|u) (?:won t|will not|will never|wont) forget\b",
    ),
    ("threat", r"\benjoy (?:your|ur) (?:freedom|life|time|days) while (?:it|they) lasts?\b"),
    # "every Zionist in this section gets what's coming to them", "I hope they get what's
    # coming" (the second person is above)
    (
        "threat",
        r"\b(?:gets?|getting) what s coming to (?:them|you|u|every one of them|all of them)\b",
    ),
    # "I genuinely hope the author of this article steps on a mine"
    (
        "death wish",
        r"\bhope (?:you|u|he|she|they|the author|the journalist|the reporter|the writer|"
        r"the editor)(?: \w+){0,5}? (?:steps? on a (?:mine|landmine)|gets? hit by a "
        r"(?:missile|bus|truck|drone)|gets? (?:shot|stabbed|cancer)|chokes?|burns? alive)\b",
    ),
    # "Nuke Moscow.", "Glass the whole place and let God sort them out": an order to wipe out
    # a place, the comment's first words ("Should NATO glass Moscow?" is a question)
    (
        "call for violence",
        r"^(?:just |simply |honestly |seriously )?(?:nuke|glass|carpet bomb|flatten|raze) "
        r"(?:them|it|the lot|the whole (?:place|country|city|strip|region)|the entire \w+|"
        r"all of (?:them|it)|moscow|kyiv|kiev|gaza|tehran|beirut|grozny|tel aviv|jerusalem|"
        r"russia|ukraine|israel|iran|palestine|lebanon)\b",
    ),
    (
        "wishing a people gone",
        r"\b(?:shame|pity|too bad) (?:that )?hitler (?:didn t|did not|never got to|couldn t) "
        r"finish (?:the|his) (?:job|work)\b",
    ),
    # Intimidation of a writer or a community: "we know which office you work in", "a lot
    # of us know where the author drops her kids off", "we've been watching who comes and
    # goes"
    (
        "intimidation",
        r"\b(?:we|i|a lot of us|some of us|people) (?:all )?know (?:which|what|where)"
        r"(?: (?:office|school|street|building|newsroom|house|flat|gym|church|mosque|"
        r"synagogue))? (?:you|u|she|he|they|the author|the journalist|the reporter|"
        r"the writer|your kids|her kids|his kids)(?: \w+){0,2}? (?:work|works|live|lives|"
        r"drop|drops|sleep|sleeps|park|parks|go|goes|pray|prays)\b",
    ),
    (
        "intimidation",
        r"\b(?:we|i) (?:ve been|have been|are|am|re|m) (?:watching|noting|filming|"
        r"photographing) (?:who comes and goes|everyone who|you|your house|your family|"
        r"your kids|the people who)\b",
    ),
    (
        "intimidation",
        r"\b(?:will|ll|is going to|are going to) find out what real (?:anger|violence|fear|"
        r"pain) (?:looks|feels) like\b",
    ),
    # turning guns on people who flee: "sink the boats", "the navy should use live fire"
    (
        "call for violence",
        r"\b(?:sink|torpedo|ram|shoot at) (?:the|their|those|these|every|all the|any) "
        r"(?:boats|dinghies|migrant boats|refugee boats|ships)\b",
    ),
    (
        "call for violence",
        r"\b(?:use|open|with) live (?:fire|ammunition|ammo|rounds)\b(?: \w+){0,4}? "
        r"(?:boats|migrants|refugees|asylum seekers|border|crossings|protesters|them)\b|"
        r"\b(?:boats|migrants|refugees|asylum seekers|border|crossings)\b(?: \w+){0,6}? "
        r"(?:use|open) live (?:fire|ammunition|ammo|rounds)\b",
    ),
    # a threat to burn a place where refugees are housed: "if they put a reception centre
    # in our village, it will burn"
    (
        "threat",
        r"\b(?:centre|center|centres|centers|hostel|hostels|camp|camps|shelter|shelters|"
        r"mosque|mosques|synagogue|synagogues|hotel|hotels)\b(?: \w+){0,8}? (?:it|they) "
        r"(?:will|ll|would|is going to|are going to) (?:burn|go up in flames|be burned|"
        r"be torched)\b",
    ),
    # "I screenshot your usernames ... don't be surprised when someone turns up": a claim
    # to know who readers are, meant as a warning
    (
        "intimidation",
        r"\b(?:i|we) (?:have |ve )?(?:screenshot|screenshotted|saved|logged|archived|noted) "
        r"(?:all )?(?:your|ur|every one of your|all your) (?:usernames|user names|names|"
        r"profiles|accounts|ip addresses|ips)\b",
    ),
    (
        "intimidation",
        r"\bdon t be surprised when (?:someone|somebody|people|we|they) "
        r"(?:turns? up|shows? up|comes?|knocks?|finds? you|visits?)\b",
    ),
    ("threat", r"\bcareful walking home\b"),
    ("call for violence", r"\bfinal (?:solution|answer) to the \w+ (?:question|problem)\b"),
    (
        "death wish",
        r"\b(?:kill yourself|kill urself|kys|go die|drop dead|die in a fire|"
        r"burn in hell|rot in hell|hope you rot)\b",
    ),
)

# Compound insults of a profanity and a silly noun ("shitgibbon", "cockwomble"): no civil
# reading.
_COMPOUND = (
    "(?:shit|fuck|cock|dick|twat|piss|arse|wank|knob|bell)"
    "(?:gibbon|nugget|womble|weasel|wit|wad|face|stain|bag|sack|muppet|trumpet|biscuit|goblin|"
    "waffle|wipe|end)"
)
_INSULT_NOUN = _alt(
    "idiot|moron|imbecile|cretin|retard|loser|scum|scumbag|degenerate|piece of shit|"
    "piece of garbage|piece of trash|pig|rat|dog|clown|troll|fool|dumbass|jackass|halfwit|"
    "dimwit|nitwit|simpleton|lowlife|parasite|traitor|bitch|bastard|asshole|cunt|twat|prick|"
    "dickhead|shill|subhuman|animal|libtard|tard|sheep|sheeple|bot|muppet|numpty|nutjob|"
    "nutcase|crackpot|tosser|wanker|knobhead|dipshit|dumbfuck|"
    "bootlicker|boot licker|useful idiot|" + _COMPOUND
)
# An adjective-like word before the noun ("you dribbling imbecile", "you spineless clown");
# a word of another shape there ("did you see the rat") is no insult.
_ANY_ADJ = r"\w+(?:ing|ed|ic|ous|less|ful|ish|ble|y)"
_INSULT_ADJ = _alt(
    "stupid|dumb|pathetic|ignorant|brainless|worthless|disgusting|filthy|fucking|miserable|"
    "sad|little|useless|naive|naïve|gullible|deluded|delusional|clueless|brainwashed|"
    "braindead|brain dead|hopeless|spineless|paid|professional|russian|kremlin|nato|"
    "putin s|zelensky s|hamas|zionist"
)
_YOU_ARE = _alt("you|u|ur|youre|you re|you are|u r|you r")
_INSULTS: tuple[tuple[str, str], ...] = (
    # "you idiot", "you are a stupid moron", "you're such a pathetic loser", "ur an idiot"
    (
        "insult",
        rf"\b{_YOU_ARE}(?: such| just| nothing but| a total| an absolute| a complete| an utter"
        rf"| absolute| complete| utter| total)?"
        rf"(?: an?| the)?(?: {_INSULT_ADJ}| {_ANY_ADJ}){{0,2}} {_INSULT_NOUN}s?\b",
    ),
    ("insult", rf"\btypical {_INSULT_NOUN}\b"),
    # "cretinous trash like you", "idiots like you": contempt for the reader as a kind
    (
        "insult",
        r"\b(?:trash|scum|filth|garbage|vermin|cretins?|morons?|idiots?|imbeciles?|"
        r"degenerates?|lowlifes?) like (?:you|u|him|her|yourself)\b",
    ),
    ("insult", rf"\b{_COMPOUND}s?\b"),
    (
        "insult",
        rf"\b(?:{_YOU_ARE}|he s|she s|he is|she is|they are|they re)"
        r"(?: a| such a| just a| nothing but a)?(?: complete| total| utter)? "
        r"waste of (?:oxygen|space|air|skin)\b",
    ),
    (
        "insult",
        r"\bare (?:you|u) (?:always |really |just |actually )?(?:this|that|so) "
        r"(?:thick|stupid|dumb|dense|dim|slow)\b",
    ),
    ("insult", rf"\b{_INSULT_NOUN}s? like (?:you|u)\b"),
    # "you sound like a NATO bot reading from a script", "you write like a paid troll"
    (
        "insult",
        rf"\b(?:you|u) (?:sound|sounds|look|talk|write|argue|act) like (?:an? |such an? "
        rf"|a complete |a total |some )?(?:\w+ ){{0,2}}{_INSULT_NOUN}s?\b",
    ),
    ("insult", r"\b(?:get|grow|buy) (?:a|some) (?:brain|brains|brain cells?)\b"),
    # Belittling another reader without a swear word: "nobody asked you, genius", "cope
    # harder", "you're clearly too thick to understand", "crawl back under your rock",
    # "you must be twelve", "the resident village idiot", "what a clown you are"
    (
        "belittling a reader",
        r"\bnobody asked (?:you|u) (?:genius|sweetie|sweetheart|einstein|clown|troll|"
        r"buddy|pal|mate|kid|snowflake)\b",
    ),
    ("belittling a reader", r"\bcry (?:harder|more)\b"),
    ("insult", r"\b(?:cope harder|cope and seethe|seethe and cope|keep seething)\b"),
    (
        "insult",
        rf"\b{_YOU_ARE}(?: clearly| obviously| just| simply| far)? too (?:thick|stupid|dumb|"
        r"dense|dim|slow|brainwashed|ignorant) to\b",
    ),
    (
        "insult",
        r"\b(?:crawl|slither|go|get) back (?:under|into|to|in) (?:your|ur) (?:rock|hole|"
        r"cave|basement|mum s basement|mom s basement|troll farm|sewer|swamp|bunker)\b",
    ),
    ("insult", r"\b(?:you|u) must be (?:twelve|12|five|5|ten|10|thick|stupid|dense|retarded)\b"),
    ("insult", r"\b(?:resident|village|local|site s|thread s) (?:village )?idiot\b"),
    (
        "insult",
        rf"\bwhat an? (?:{_INSULT_ADJ} |{_ANY_ADJ} )?{_INSULT_NOUN} (?:you are|you re|u r|"
        r"u are)\b",
    ),
    (
        "insult",
        r"\btypical (?:brainless|braindead|brain dead|brainwashed|deluded|clueless|stupid|"
        r"dumb|thick|woke|gullible) \w+",
    ),
    (
        "insult",
        r"\b(?:another|yet another|just another|one more) (?:paid |kremlin |russian |nato |"
        r"hasbara |pro russian |putin )?(?:bot|troll|shill) from the (?:troll|bot) farm\b|"
        r"\b(?:your|ur) (?:troll|bot) farm\b",
    ),
    ("insult", r"\b(?:shut (?:the fuck |tf )?up|go to hell|screw you|fuck you|fuck off)\b"),
)

_DEHUMANISING = _alt(
    "animals|vermin|rats|cockroaches|roaches|parasites|pigs|dogs|apes|monkeys|savages|"
    "subhuman|subhumans|scum|filth|barbarians|orcs|a plague|a disease|a cancer|a virus|cancer|"
    "trash|garbage|insects|maggots|leeches|terrorists|nazis|rapists|criminals|thieves|liars|"
    "inbred|not human|less than human|evil"
)
_FILTHY = _alt("filthy|dirty|disgusting|stinking|inbred|savage|worthless|greedy|subhuman|parasitic")
_CONSPIRATORS = _alt(
    "jews|jewish bankers|jewish elite|jewish lobby|jewish media|zionist|zionists|globalist|"
    "globalists|rothschild|rothschilds|international bankers|khazar|khazars|khazarian|"
    "khazarians|soros"
)
_CONTROL = _alt(
    "control|controls|own|owns|run|runs|rule|rules|are behind|is behind|pull the strings|"
    "pulls the strings|started|orchestrated|engineered|planned|bought|buys"
)
_CODED = _alt(
    "rothschild|rothschilds|international bankers|international banking families|"
    "jewish lobby|zionist lobby|jewish bankers|zionists|globalists|globalist elite|"
    r"khazars|khazarians|cosmopolitans|money changers|a certain tribe|a certain community|"
    r"the tribe|their tribe|his tribe|\w+ s tribe"
)
_PULL = _alt(
    "control|controls|controlled|own|owns|owned|run|runs|ran|rule|rules|decide|decides|"
    "decided|dictate|dictates|finance|finances|financed|fund|funds|funded|bankroll|"
    "bankrolls|bankrolled|profit from|profits from|profited from|need|needs|wanted|want|"
    "wants|are behind|is behind|were behind|was behind|started|start|pull the strings of|"
    "pulls the strings of|bought|buy|buys"
)
_TARGET = _alt(
    "media|news|press|newspapers|hollywood|banks|banking|wall street|the fed|both sides|"
    "every war|every conflict|wars|this war|these wars|congress|washington|government|"
    "governments|every government|politicians|every politician|foreign policy|the west|"
    "the world|ukraine|europe|america|the us|the uk|britain|russia"
)
# Peoples, faiths and other groups one is born into or flees to; political camps are left
# out of the patterns below ("Tories are dishonest about the figures" is politics).
_POLITICAL = frozenset(
    "zionist globalist liberal leftist conservative republican democrat communist tory".split()  # noqa: SIM905
)
_PEOPLE = (
    "(?:"
    + "|".join(
        sorted(
            {f"{w}(?:e?s)?" for w in _GROUP_WORDS if w not in _POLITICAL}
            | {"women", "gay people", "black people", "trans people", "trans women", "gays"},
            key=len,
        )[::-1]
    )
    + ")"
)
_TRAIT = _alt(
    "lazy|stupid|dumb|thick|dirty|filthy|smelly|dishonest|violent|savage|primitive|backward|"
    "inferior|disgusting|degenerate|perverts|perverted|freaks|mentally ill|"
    "sick in the head|ugly|worthless|useless|greedy|less intelligent|genetically inferior|"
    "born thieves|born criminals|born liars"
)
_SOME = r"(?:all |the |most |so many |these |those )?"
_DENIED = _alt(
    "deserve any rights|deserve rights|deserve equal rights|deserve to live|deserve to exist|"
    "deserve respect|deserve to be here|deserve citizenship|have any rights|belong here|"
    "belong in this country|belong in our country|belong in europe|belong in society"
)
_BARRED = _alt("vote|live here|exist|marry|adopt|teach|have children|work here|be citizens")
_NOT = _alt("don t|do not|dont|shouldn t|should not|shouldnt|must not|mustn t|never")
_HATE: tuple[tuple[str, str], ...] = (
    # "Black people are lazy by nature", "women are too emotional and stupid"
    (
        "derogating a group",
        rf"\b{_SOME}{_PEOPLE} are(?: all| just| so| too| naturally| inherently| genetically"
        rf"| always| born| basically| simply| mostly)*"
        rf"(?: (?:too |so )?\w+ and(?: too| so)?)? {_TRAIT}\b",
    ),
    # "Why are all Muslims so stupid?", "why do immigrants always stink?"
    (
        "derogating a group",
        rf"\bwhy (?:are|is) (?:all |so many |most |the |every )?{_PEOPLE}(?: always| all)?"
        rf"(?: so| such)? {_TRAIT}\b",
    ),
    (
        "derogating a group",
        rf"\bwhy do (?:all |so many |most |the )?{_PEOPLE}(?: always| all)? "
        r"(?:stink|smell|lie|steal|cheat|breed like)\b",
    ),
    # the disclaimer before a derogation: "I'm not racist, but...", "nothing against Roma,
    # I just..."
    (
        "prejudice behind a disclaimer",
        r"\bi m not (?:a )?(?:racist|sexist|homophobic|homophobe|bigot|bigoted|antisemitic|"
        r"xenophobic|islamophobic|transphobic) but\b",
    ),
    (
        "prejudice behind a disclaimer",
        rf"\bnothing against {_PEOPLE}(?: \w+){{0,3}} (?:but|just|as long as)\b",
    ),
    # "Gay people don't deserve any rights", "immigrants should not be allowed to vote"
    ("denying a group's rights", rf"\b{_SOME}{_PEOPLE} {_NOT} {_DENIED}\b"),
    ("denying a group's rights", rf"\b{_SOME}{_PEOPLE} {_NOT} be allowed to {_BARRED}\b"),
    (
        "denying a group's rights",
        rf"\b(?:i )?(?:don t|do not|dont) think {_SOME}{_PEOPLE} should be allowed to "
        rf"{_BARRED}\b",
    ),
    (
        "denying a group's rights",
        r"\bno (?:such thing as an? )?(?:innocent|good|decent|honest|peaceful|moderate) "
        rf"{_PEOPLE}\b",
    ),
    # "pouring over the border like an infection"
    (
        "dehumanising a group",
        rf"\b{_PEOPLE}(?: \w+){{1,6}} like (?:an? )?"
        r"(?:infection|plague|disease|virus|cancer|vermin|rats|cockroaches|locusts|swarm|"
        r"insects|parasites)\b",
    ),
    # "Russians are animals", "these people are vermin", "all muslims are terrorists"
    (
        "dehumanising a group",
        rf"\b(?:all |these |those |the |most |typical )?"
        rf"(?:{_GROUP}|they|these people|those people) "
        r"(?:are|r|were|have always been|will always be|have been)"
        r"(?: all| just| nothing but| literally| such| a bunch of| a pack of"
        rf"| like)*(?: {_FILTHY})* {_DEHUMANISING}\b",
    ),
    (
        "dehumanising a group",
        r"\bbreed(?:s|ing)? like (?:rats|rabbits|animals|cockroaches|flies)\b",
    ),
    # Implicit derogation by insinuation: "Somalis arrive, the crime rate doubles", "wherever
    # the Roma settle, crime follows"
    (
        "derogating a group",
        rf"\b{_PEOPLE} (?:arrive|arrived|came|come|move in|moved in|settle|settled|turn up|"
        r"turned up)\b(?: \w+){0,5}? (?:the )?crime(?: rate| rates)? "
        r"(?:doubles|doubled|triples|tripled|rises|rose|goes up|went up|follows|followed|"
        r"explodes|exploded|soars|soared|skyrockets|skyrocketed)\b",
    ),
    # mocking pity or contempt for what a whole people can do: "they've never produced
    # anything but grievances", "never managed to build a country that works" (said through
    # a negation, which does not excuse it)
    (
        "mocking a people",
        rf"\b{_PEOPLE}(?: \w+){{0,3}}? (?:never|have never|ve never|has never|can t|cannot|"
        r"couldn t) (?:managed to |been able to )?(?:build|built|produce|produced|create|"
        r"created|invent|invented|achieve|achieved|run|ran) (?:a country|a state|anything|"
        r"a civilisation|a civilization|a functioning \w+)(?: that works| but| worth)\b",
    ),
    (
        "derogating a group",
        rf"\b{_PEOPLE}(?: will| would)? eat anything that (?:moves|crawls|walks)\b",
    ),
    # Expulsion of a people: "All Palestinians should be transferred to Egypt", "deport
    # them all, send every last one of them back", "remigration now"
    (
        "expelling a people",
        rf"\b{_SOME}{_PEOPLE} (?:should|must|need to|have to|ought to|will) (?:all )?be "
        r"(?:transferred|expelled|deported|removed|resettled|sent back|shipped back|"
        r"kicked out|thrown out|driven out|cleansed|rounded up)\b",
    ),
    (
        "expelling a people",
        r"\b(?:deport|expel|send back|ship back|kick out|throw out|round up|get rid of) "
        r"(?:them all|all of them|every last one(?: of them)?|every single one(?: of them)?|"
        r"the lot of them)\b",
    ),
    (
        "expelling a people",
        r"\bsend (?:them all|all of them|every last one of them|every single one of them|"
        r"the lot of them|them|em) (?:\w+ )?back (?:to )?where they (?:came|come) from\b|"
        r"\bsend (?:them all|all of them|every last one of them|every single one of them|"
        r"the lot of them) back\b",
    ),
    (
        "expelling a people",
        r"\b(?:remigration now|mass remigration|remigration is the (?:only )?(?:answer|"
        r"solution|way)|(?:need|want|demand|support|start|begin) remigration)\b",
    ),
    (
        "expelling a people",
        r"\b(?:europe|britain|england|france|germany|italy|poland|sweden|america) for "
        r"(?:the )?(?:europeans|british|english|french|germans|italians|poles|swedes|"
        r"whites|white people|white americans)\b",
    ),
    # Contempt for a faith: "Islam is a death cult", "your religion is a cancer", "classic
    # taqiyya", "Europe will be a caliphate in thirty years"
    (
        "derogating a group",
        r"\b(?:islam|judaism|christianity|your religion|their religion|this religion|"
        r"the quran|the koran|the talmud) (?:is|are) (?:a |an |just a |nothing but a |"
        r"basically a |literally a )?(?:death cult|cult of death|cancer|disease|plague|"
        r"virus|ideology of hate|religion of hate|religion of war|religion of violence|"
        r"satanic|evil)\b",
    ),
    (
        "derogating a group",
        r"\b(?:islam|muslims|the muslim world) (?:is|are) (?:simply |just |fundamentally "
        r"|totally |completely )?incompatible with (?:europe|the west|western|democracy|"
        r"civilisation|civilization|our)\b",
    ),
    ("derogating a group", r"\b(?:classic|typical|it s|just|more|pure) taqiyya\b"),
    (
        "derogating a group",
        r"\b(?:will|would|ll) be (?:a |an )?(?:caliphate|islamic state|muslim country|"
        r"sharia state|eurabia) (?:in|within|by)\b|\b(?:eurabia|londonistan)\b",
    ),
    # Derogation dressed as culture or science: "Arabs as a culture don't value life",
    # "Africans have lower average IQs", "Russians are simply not a civilised people",
    # "Arabs, Africans, gypsies, they never integrate"
    (
        "derogating a people",
        rf"\b{_PEOPLE}(?: as a (?:culture|people|race|society|nation))?(?: simply| just"
        r"| really| generally)? (?:don t|do not|dont|doesn t|does not) (?:value|care about) "
        r"(?:human )?(?:life|lives)\b",
    ),
    (
        "derogating a group",
        rf"\b{_PEOPLE} (?:have|has) (?:a )?(?:lower|low|inferior) (?:average )?"
        r"(?:iqs?|intelligence)\b",
    ),
    (
        "derogating a people",
        rf"\b{_PEOPLE} (?:are|were)(?: simply| just| really| basically| frankly)? not "
        r"(?:a )?(?:civilised|civilized|cultured|fully human|capable of civilisation)\b",
    ),
    (
        "derogating a people",
        rf"\b{_PEOPLE}(?: \w+){{0,4}}? (?:never|don t|do not|dont|can t|cannot|won t|will "
        r"never) (?:integrate|assimilate|adapt)\b",
    ),
    # Denial and mockery of an atrocity: "Bucha was staged", "October 7 was a false flag",
    # "the Srebrenica 'genocide' is a myth", "crisis actors lying in the street"
    (
        "denying an atrocity",
        r"\b(?:bucha|srebrenica|october 7|oct 7|october 7th|the holocaust|holocaust|"
        r"mariupol|the massacre|the rave massacre|the nova massacre|katyn|rwanda|"
        r"the genocide|the armenian genocide|sandy hook)(?: \w+){0,3}? (?:was|were|is) "
        r"(?:all )?(?:staged|a false flag|faked|fake|a hoax|a myth|made up|invented|"
        r"exaggerated|a psyop|theatre|theater|a lie)\b",
    ),
    ("denying an atrocity", r"\bcrisis actors?\b"),
    (
        "denying an atrocity",
        r"\b(?:anne frank s diary|the diary of anne frank)(?: \w+){0,3}? "
        r"(?:ballpoint|biro|fake|forged|forgery|a hoax)\b",
    ),
    # Praise of mass murderers: "Mladic did nothing wrong", "Breivik was right", "heroes of
    # October 7", "the shooter's manifesto should be required reading"
    (
        "glorifying violence",
        r"\b(?:mladic|mladić|karadzic|karadžić|hitler|breivik|tarrant|the christchurch "
        r"shooter|mcveigh|dylann roof) (?:was right|were right|is a hero|was a hero|"
        r"had a point|deserves? a medal)\b|\b(?:the shooter|the gunman|the attacker|"
        r"the bomber|the terrorists?) (?:was right|were right|had a point|deserves? a medal)\b",
    ),
    (
        "excusing a killer",
        r"\b(?:mladic|mladić|karadzic|karadžić|hitler|breivik|tarrant|the christchurch "
        r"shooter|mcveigh|dylann roof|the shooter|the gunman|the attacker|the bomber|"
        r"the terrorists?) did nothing wrong\b",
    ),
    (
        "glorifying violence",
        r"\bheroes of (?:october 7|oct 7|october 7th|srebrenica|bucha|the massacre|"
        r"christchurch|utøya|utoya)\b",
    ),
    (
        "glorifying violence",
        r"\bmanifesto (?:should be|is) (?:required|essential|mandatory) reading\b",
    ),
    (
        "glorifying violence",
        r"\b(?:srebrenica|bucha|october 7|the holocaust|the massacre)(?: \w+){0,4}? "
        r"(?:should be taught as an example|was a lesson|was a good start|was a good thing|"
        r"was justified|was deserved)\b",
    ),
    # Contempt for a faith's texts and believers: "the Quran orders them to kill us", "the
    # Talmud says non-Jews are cattle", "religion of peace strikes again"
    (
        "derogating a group",
        r"\b(?:the )?(?:quran|koran|talmud|torah)(?: \w+){0,2}? (?:orders|tells|commands|"
        r"says|teaches|instructs)(?: \w+){0,3}? (?:to kill|kill|non jews are|non muslims "
        r"are|goyim are|infidels are)\b",
    ),
    ("derogating a group", r"\breligion of peace (?:strikes|at it) again\b"),
    (
        "derogating a group",
        rf"\b{_PEOPLE} only (?:understand|respect|respond to) (?:force|violence|the stick|"
        r"the language of force|a bullet|bullets)\b",
    ),
    (
        "derogating a group",
        rf"\b{_PEOPLE}(?: and {_PEOPLE})? are (?:the reason|to blame|responsible)(?: \w+)"
        r"{0,4}? (?:crime|the crime)\b",
    ),
    # "rats from Gaza", "vermin from Africa"
    (
        "dehumanising a group",
        r"\b(?:rats|vermin|cockroaches|roaches|savages|animals|parasites|locusts|"
        r"human animals) (?:from|of) (?:gaza|the west bank|ukraine|russia|africa|syria|"
        r"afghanistan|pakistan|somalia|the middle east|israel|palestine|morocco|algeria|"
        r"albania|romania|chechnya|the balkans|mexico|haiti)\b",
    ),
    ("dehumanising a group", r"\bhuman animals\b(?: \w+){0,4}? treat them\b"),
    (
        "conspiracy trope",
        r"\b(?:soros|rothschild|rothschilds|the rothschilds) (?:and|&) (?:his|their) "
        r"(?:kind|people|tribe|friends|ilk|lot)\b",
    ),
    # "they're all terrorists breeding more terrorists", "there are no civilians in Gaza"
    (
        "dehumanising a group",
        r"\bbreeding (?:more |new |the next generation of )?(?:terrorists|jihadists|"
        r"criminals|rapists|savages|suicide bombers)\b",
    ),
    (
        "derogating a people",
        r"\bthere (?:are|is) no (?:such thing as )?(?:innocent )?civilians? in "
        r"(?:gaza|ukraine|russia|israel|palestine|the west bank|donbas|donbass)\b",
    ),
    # A people summed up as one vice: "they're a nation of liars and butchers", "lying is
    # their national sport", "violence is in their blood"
    (
        "derogating a people",
        rf"\b(?:{_PEOPLE}|they|they re|these people|those people)(?: are| were| have always been"
        r"| will always be| remain)?(?: just| nothing but| still| simply| all)? (?:a|an) "
        r"(?:nation|people|race|tribe) of (?:\w+ )?(?:liars|thieves|butchers|cowards|murderers|"
        r"savages|rapists|parasites|beggars|criminals|crooks|traitors|barbarians|killers|"
        r"fanatics|cheats|scroungers|terrorists)\b",
    ),
    (
        "derogating a people",
        r"\b(?:lying|stealing|cheating|killing|violence|terror|terrorism|hatred|treachery|"
        r"theft|crime|martyrdom) is (?:their|in their) (?:national sport|national pastime|"
        r"blood|dna|genes|nature|hobby|culture)\b",
    ),
    # "the 6 million never gets smaller lol", "six million? lol", "the six million myth"
    (
        "denying an atrocity",
        r"\b(?:6|six) (?:million|gorillion|mil)\b(?: \w+){0,8}? (?:lol|lmao|myth|hoax|"
        r"never gets smaller|never changes|fairy tale|fairytale|fable)\b|\b(?:myth|hoax|lie|"
        r"fable) of the (?:6|six) million\b",
    ),
    # Wishing the killing or expulsion had been finished: "Hitler should have finished the
    # job", "should have finished the job in 1948 and put every Arab across the Jordan"
    (
        "glorifying violence",
        r"\b(?:hitler|mladic|mladić|the nazis|the ustase|the ottomans) (?:should have|"
        r"shoulda|didn t|did not|never) finish(?:ed)? (?:the|his|their) job\b",
    ),
    (
        "expelling a people",
        rf"\bshould have finished the job(?: \w+){{0,6}}? (?:every|all(?: the)?|the last) "
        rf"{_PEOPLE}\b",
    ),
    (
        "glorifying violence",
        rf"\b{_PEOPLE}(?: \w+){{0,3}}? got what (?:was|they had|they d) coming(?: to them)?\b",
    ),
    # Contempt for a faith as a whole: "that religion has never produced anything but this",
    # "Islam has wanted Europe for 1,400 years"
    (
        "contempt for a faith",
        r"\b(?:islam|judaism|that religion|their religion|this religion|that faith|their "
        r"faith) (?:has |have )?(?:never|only ever) (?:produced|brought|given the world|"
        r"given us|created|caused) (?:anything but|nothing but|anything except)\b",
    ),
    (
        "contempt for a faith",
        r"\bislam (?:has |have )?(?:always )?(?:wanted|wants|coveted|is coming for|will take) "
        r"(?:to (?:conquer|take|rule) )?(?:europe|the west|our countries)\b",
    ),
    # "filthy arabs", "greedy jews" (plural only: "dirty Russian money" is not about people)
    ("dehumanising a group", rf"\b{_FILTHY} (?:{_PLURAL_GROUPS})\b"),
    # "globalists control the banks", "the jews run the media", "zionists are behind it"
    ("conspiracy trope", rf"\b(?:the )?{_CONSPIRATORS}(?: \w+)? {_CONTROL}\b"),
    # Told politely, in code: "the Rothschild family has financed both sides of every war",
    # "the international bankers need this war", "Zelensky's tribe runs Ukraine". A code
    # name, then what it is said to do to the media, the banks, wars or governments.
    (
        "conspiracy trope",
        rf"\b(?:the )?{_CODED}(?: family| families| clan| money)?"
        r"(?: has| have| had| always| secretly| really| still| quietly)* "
        rf"{_PULL} (?:the |all |every |both |our |american |all the )?{_TARGET}\b",
    ),
    # Insinuation without a name: "his globalist backers", "the usual suspects profit
    # whichever way it goes", "the author's surname tells you all you need to know", "ask
    # who owns the media", "noticing is not a crime", "you knew who I meant"
    (
        "conspiracy trope",
        r"\bglobalist (?:backers|masters|paymasters|handlers|puppet masters|puppeteers|"
        r"overlords|owners|bankers|financiers|cabal)\b",
    ),
    (
        "conspiracy trope",
        r"\bthe usual suspects (?:profit|profits|win|always win|are behind|were behind|"
        r"own|control|run|cash in|make money)\b",
    ),
    (
        "conspiracy trope",
        r"\b(?:surname|surnames|last name|last names|family name|family names|name) "
        r"(?:tells|tell|says|say) you (?:all|everything)\b",
    ),
    (
        "conspiracy trope",
        r"\b(?:ask|wonder|look at|find out|check|notice|guess)(?: \w+){0,2}? who (?:really )?"
        r"(?:owns|controls|runs|funds|sits on the boards of) (?:the |our |all the |most of the )?"
        r"(?:major |mainstream |western |big )?(?:media|outlets|networks|banks|press|"
        r"newspapers|hollywood|studios)\b",
    ),
    ("insinuation", r"\bnoticing (?:is not|isn t|ain t|is no) (?:a crime|racist|hate)\b"),
    # The neo-Nazi greeting in numbers ("88 to all my brothers": "Heil Hitler") and in words
    (
        "nazi code",
        r"\b88 (?:to (?:all|you all|my|every|everyone|everybody|the)|my brothers|brothers|"
        r"comrades)\b|"
        r"\b(?:sieg heil|rahowa)\b",
    ),
    (
        "conspiracy trope",
        r"\b(?:you|u) (?:immediately |instantly |already |all )?(?:knew|know) "
        r"(?:exactly )?who i (?:meant|mean|was talking about|am talking about)\b",
    ),
    # "the same people who control Hollywood also control the news", "the same names behind
    # every conflict since 1914": a hidden "they" behind the culture industry or every war
    (
        "conspiracy trope",
        r"\bthe same (?:people|families|few families|names|few|tribe) (?:who |that )?"
        r"(?:control|controls|own|owns|run|runs) hollywood\b",
    ),
    (
        "conspiracy trope",
        r"\bthe same (?:people|families|few families|names|few|tribe) "
        r"(?:are |were |is |was )?behind (?:every|all the|all) (?:war|wars|conflict|conflicts)\b",
    ),
)


# Most comments match no pattern, yet each pattern scans the whole text at every word. So
# each pattern also carries the words a match cannot do without (one of "die", "killed",
# "burn"... for "<who> should die"), found by reading the regex itself; a text whose words
# miss one of those sets skips that pattern. The sets are only ever a shortcut to "no
# match": whenever they allow a match, the pattern itself decides.

_LANGUAGE_LIMIT = 20_000  # strings a part of a pattern may spell before it counts as open


def _language(items: list) -> set[str] | None:
    r"""Every string that parsed regex ``items`` can match, or None when that set is open
    (``\w+``, ``*``), too large, or spelt with anything but plain literals."""
    strings = {""}
    for op, av in items:
        if op is sre_constants.LITERAL:
            choices: set[str] | None = {chr(av)}
        elif op is sre_constants.IN and all(o is sre_constants.LITERAL for o, _ in av):
            choices = {chr(c) for _, c in av}
        elif op is sre_constants.BRANCH:
            alternatives = [_language(alt) for alt in av[1]]
            choices = set()
            for alternative in alternatives:
                if alternative is None:
                    choices = None
                    break
                choices |= alternative
        elif op is sre_constants.SUBPATTERN and not av[1] and not av[2]:
            choices = _language(av[3])
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[1] <= 3:
            once = _language(av[2])
            choices = None
            if once is not None:
                choices = {
                    "".join(p) for n in range(av[0], av[1] + 1) for p in product(once, repeat=n)
                }
        else:
            return None
        if choices is None or len(strings) * len(choices) > _LANGUAGE_LIMIT:
            return None
        strings = {a + b for a in strings for b in choices}
    return strings


def _required_words(regex: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    r"""Sets of words such that any match holds at least one word of each set as a whole
    word, in a text of words separated by single spaces.

    A stretch of the pattern that sits between two word edges (a space or ``\b``) and
    spells a finite set of strings matches whole words only; each of its strings needs its
    own words, and the longest one of each (rarest, as a rule) makes up the set."""
    if regex.flags & (re.IGNORECASE | re.VERBOSE | re.ASCII | re.LOCALE):
        # other case rules, or a narrower \w than the readings are checked with
        return ()
    edges = ((sre_constants.LITERAL, ord(" ")), (sre_constants.AT, sre_constants.AT_BOUNDARY))
    found: list[frozenset[str]] = []
    stretch: list | None = None  # None until the first edge: the pattern's start is no edge
    for item in sre_parse.parse(regex.pattern, regex.flags):
        if item not in edges:
            if stretch is not None:
                stretch.append(item)
            continue
        strings = _language(stretch) if stretch else None
        if strings and all(s.split() for s in strings):
            found.append(frozenset(max(s.split(), key=len) for s in strings))
        stretch = []
    return tuple(found)


class _Pattern(NamedTuple):
    label: str
    regex: re.Pattern[str]
    required: tuple[frozenset[str], ...]  # see _required_words


class _Patterns(NamedTuple):
    patterns: tuple[_Pattern, ...]
    vocabulary: frozenset[str]  # every required word of every pattern


def _compile(patterns: Iterable[tuple[str, str]]) -> _Patterns:
    compiled = []
    for label, p in patterns:
        regex = re.compile(p)
        compiled.append(_Pattern(label, regex, _required_words(regex)))
    vocabulary = frozenset().union(*(words for p in compiled for words in p.required))
    return _Patterns(tuple(compiled), vocabulary)


def readings(text: str) -> tuple[str, ...]:
    """The text as the patterns read it: folded words joined by single spaces, once with
    letter runs cut to two ("shoot") and once cut to one ("fuuuck" -> "fuck")."""
    toks = tokens(html.unescape(text))
    first = " ".join(forms[0] for forms in toks)
    last = " ".join(forms[-1] for forms in toks)
    return (first,) if first == last else (first, last)


def _plain_words(reading: str) -> frozenset[str] | None:
    r"""The reading's words when it is what _required_words assumes, words of letters and
    digits (all \w) separated by single spaces; None otherwise ("f*ck" keeps its star),
    and then every pattern runs."""
    words = reading.split(" ")
    if all(words) and reading.replace(" ", "").isalnum():
        return frozenset(words)
    return None


@lru_cache(maxsize=1024)
def _readings_with_words(text: str) -> tuple[tuple[str, frozenset[str] | None], ...]:
    # The one cache of a comment's readings: the three scorers read the same comment in a
    # row.
    return tuple((reading, _plain_words(reading)) for reading in readings(text))


def find_patterns(text: str, patterns: _Patterns) -> list[tuple[str, str]]:
    """(label, matched words) for every pattern that matches, each match once."""
    return list(_find_hits(text, patterns))


def _find_hits(text: str, patterns: _Patterns) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Every match as (label, matched words) -> where it stands: (first word, word after
    it) as indexes into ``tokens(text)``, once per reading it was found in."""
    found: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for reading, words in _readings_with_words(text):
        # The few required words present, so each pattern's check below stays tiny.
        present = None if words is None else patterns.vocabulary.intersection(words)
        for label, pattern, required in patterns.patterns:
            if present is not None and any(present.isdisjoint(r) for r in required):
                continue  # a word this pattern needs is missing: it cannot match
            for match in pattern.finditer(reading):
                matched = match.group(0)
                start = match.start() + len(matched) - len(matched.lstrip())
                end = match.end() - len(matched) + len(matched.rstrip())
                # One space between words, none inside one: spaces before are the index.
                place = (reading.count(" ", 0, start), reading.count(" ", 0, end) + 1)
                found.setdefault((label, matched.strip()), []).append(place)
    return found


# Readers quote, deny and report hateful words in order to condemn them ("Saying 'immigrants
# are vermin' is disgusting", "I would never say Muslims are animals", "he called her a
# dirty kike"). Such a match is left to the semantic model, which reads the whole sentence.
_NEGATIONS = frozenset(
    {
        "not",
        "never",
        "no",
        "nobody",
        "noone",
        "nothing",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "wont",
        "shouldnt",
        "wouldnt",
        "didnt",
        "nor",
    }
)
_NEGATION_STEMS = frozenset(
    ["can", "don", "doesn", "isn", "aren", "wasn", "weren", "won", "shouldn", "wouldn", "didn"]
)
# "why not", "no doubt", "nothing but": negation words that deny nothing.
_NOT_AFTER = frozenset({"why"})
_NOT_BEFORE = frozenset({"doubt", "question", "wonder", "only", "but", "matter"})
_FRAMES = tuple(
    tuple(frame.split())
    for frame in (  # noqa: SIM905 -- a word list reads better as text
        "saying|claims that|claim that|claimed that|claiming|lie that|myth that|"
        "trope that|idea that|notion that|not true that|untrue that|false that|nonsense that|"
        "called him|called her|called them|called us|"
        "called me|called you|calling|slur|slurs|the word|the words|the term|the phrase|"
        "wrote that|writes that|posted that|above that says|upthread that says|"
        "comment that says|post that says|sign that says|above that said|comment that said|"
        "comments like|comment that|words like|chanting|chanted|shouting|shouted|"
        "straight out of|right out of|comes from|came from|taken from|lifted from|quoting"
    ).split("|")
)
_CONTEXT_WORDS = 3  # how far back a negation or a frame may stand from the match
# Words that name what came before as a lie to be rejected: "the great replacement
# conspiracy", "the 'Jews control the banks' myth".
_NAMED_AS = frozenset(
    (  # noqa: SIM905 -- a word list reads better as text
        "conspiracy conspiracies myth myths lie lies trope tropes hoax forgery canard canards "
        "libel smear"
    ).split()
)


def _is_negation(words: tuple[tuple[str, ...], ...], i: int) -> bool:
    forms = words[i]
    before = words[i - 1] if i > 0 else ()
    after = words[i + 1] if i + 1 < len(words) else ()
    if "t" in forms and _NEGATION_STEMS.intersection(before):  # "don't" reads "don t"
        return True
    if "t" in after and _NEGATION_STEMS.intersection(forms):
        return True
    return bool(
        _NEGATIONS.intersection(forms)
        and _NOT_AFTER.isdisjoint(before)
        and _NOT_BEFORE.isdisjoint(after)
    )


def _frame_ends_at(words: tuple[tuple[str, ...], ...], k: int) -> bool:
    for frame in _FRAMES:
        first = k - len(frame) + 1
        if first >= 0 and all(w in words[first + n] for n, w in enumerate(frame)):
            return True
    return False


def hit_context(text: str, place: tuple[int, int], *, negation: bool = True) -> str | None:
    """Why the words at ``place`` (indexes into ``tokens(text)``) may be counter-speech:
    "quoted" (in quotation marks, with words of the comment's own outside them), "negated"
    (a negation in the same clause within three words before, or inside the match), or
    "reported" ("saying", "the lie that", "called her", "the slur" just before, or
    "conspiracy", "myth" just after); else None."""
    words, places = tuple(tokens(text)), token_places(text)
    start, end = place
    if not 0 <= start < end <= len(places):
        return None
    quote = places[start].quote
    if quote >= 0 and places[end - 1].quote == quote and any(p.quote != quote for p in places):
        return "quoted"
    clause = places[start].clause
    before = [
        k for k in range(max(0, start - 2 * _CONTEXT_WORDS), start) if places[k].clause == clause
    ]
    # Count words as the reader does: "don t" is one.
    window = [
        k
        for k in before
        if not ("t" in words[k] and k > 0 and _NEGATION_STEMS.intersection(words[k - 1]))
    ]
    window = window[-_CONTEXT_WORDS:]
    first = window[0] if window else start
    if negation and any(_is_negation(words, k) for k in range(first, end)):
        return "negated"
    if any(_frame_ends_at(words, k) for k in range(first, start)):
        return "reported"
    after = [k for k in range(end, min(end + 2, len(words))) if places[k].clause == clause]
    if any(_NAMED_AS.intersection(words[k]) for k in after):
        return "reported"
    return None


# Labels whose patterns say their hate through a negation ("don't deserve rights"): only a
# quotation or a report excuses them.
_NEGATION_MEANT = frozenset(
    {
        "denying a group's rights",
        "prejudice behind a disclaimer",
        "intimidation",
        "mocking a people",
        "wishing a people gone",
        "derogating a people",
        "insinuation",
        "excusing a killer",
        "belittling a reader",
        "wishing a reader harm",
        "contempt for a faith",
    }
)


class _PatternScorer:
    name = ""
    patterns: _Patterns = _Patterns((), frozenset())

    def score(self, ctx: ScoringContext) -> Score:
        text = ctx.text or ctx.body
        hits = _find_hits(text, self.patterns)
        if not hits:
            return Score(scorer=self.name, value=0.0)
        unescaped = html.unescape(text)
        # A match holds when one of its occurrences is plainly meant, not quoted or denied.
        plain = {
            hit: any(
                hit_context(unescaped, place, negation=hit[0] not in _NEGATION_MEANT) is None
                for place in places
            )
            for hit, places in hits.items()
        }
        reasons = [f"{lbl.capitalize()}: '{words}'" for (lbl, words), p in plain.items() if p]
        reasons += [
            f"{lbl.capitalize()} (quoted or negated, left to the model): '{words}'"
            for (lbl, words), p in plain.items()
            if not p
        ]
        held = any(plain.values())
        return Score(
            scorer=self.name,
            value=1.0 if held else 0.5,
            verdict=Verdict.HOLD if held else Verdict.PASS,
            reasons=tuple(dict.fromkeys(reasons)),
            explanation=tuple(dict.fromkeys(words for _, words in hits)),
        )


class ThreatScorer(_PatternScorer):
    """HOLD death wishes, threats and calls for violence against the reader or a group:
    "hope you die", "should be shot", "kill all <group>", "I will find you and kill you"."""

    name = "threats"
    patterns = _compile(_THREATS)


class InsultScorer(_PatternScorer):
    """HOLD insults aimed at a person: "you idiot", "you are a pathetic loser", "morons like
    you", "fuck off"."""

    name = "insults"
    patterns = _compile(_INSULTS)


class GroupHateScorer(_PatternScorer):
    """HOLD hate aimed at a whole group: dehumanising statements ("<group> are animals",
    "filthy <group>"), derogation ("<group> are lazy by nature", "why are all <group> so
    stupid?"), denial of a group's rights ("<group> don't deserve any rights") and
    conspiracy tropes ("globalists control the banks")."""

    name = "group_hate"
    patterns = _compile(_HATE)
