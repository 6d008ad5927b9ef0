"""Default word lists. ``DEFAULT_SUSPECT_WORDS`` is what a new site starts with and edits in
the desk; ``DEFAULT_PROFANITY_WORDS`` and ``DEFAULT_SLURS`` are read by
``threadline.scoring.profanity.ProfanityScorer`` for every site.

All lists are matched with ``normalize.find_terms``: whole words and phrases after folding
case, look-alike letters, leetspeak, separators and letter runs; a listed single word also
matches its plural in ``s`` / ``es``.
"""

# Code words and tropes of antisemitic and racist hate speech that rarely appear in civil
# news comments; they hold a comment for review rather than reject it, since a reader may
# be quoting or discussing them. Threats and death wishes are left to ThreatScorer, whose
# patterns catch far more wordings than a phrase list can.
DEFAULT_SUSPECT_WORDS = """\
# one word or phrase per line; matched after normalisation (case, leetspeak, separators)
zog
zionist occupied government
zionist occupation government
globalist cabal
globalist bankers
rootless cosmopolitan
dual loyalty
dual loyalties
(((
jewish question
the goyim know
goyim
holohoax
happy merchant
khazarian mafia
synagogue of satan
the great replacement
white genocide
kalergi
rothschilds control
protocols of the elders
14 words
1488
14 88
sieg heil
heil hitler
hitler was right
six million wasn't enough
6 million wasn't enough
early life section
a certain tribe
subhuman
untermensch
vermin
cockroaches
go back to your country
"""

# Profanity: held (not rejected) so that a moderator reads it in context. Mild words
# ("damn", "hell", "crap") are absent on purpose: civil readers use them.
DEFAULT_PROFANITY_WORDS = """\
fuck
fucking
fucked
fucker
fuckers
fuckin
fck
fuk
motherfucker
fuckface
fuckwit
shit
shitty
shithead
bullshit
piece of shit
cunt
asshole
arsehole
bitch
bastard
dickhead
prick
twat
wanker
slut
whore
cocksucker
douchebag
piss off
stfu
gtfo
"""

# Slurs against ethnic, national, religious and sexual groups, including those of the wars
# in Ukraine and the Middle East that news comment sections see, and mocking misspellings
# of a country or people ("Israhell", "Ruzzia", "Amerikkka"). Held for review.
DEFAULT_SLURS = """\
nigger
nigga
kike
kyke
yid
heeb
hymie
spic
wetback
beaner
chink
gook
paki
coon
jigaboo
porch monkey
raghead
towelhead
sandnigger
sand nigger
camel jockey
camel jockeys
chernozhopy
chernozhopiy
muzzie
mudslime
faggot
fag
dyke
tranny
retard
gyppo
pikey
polack
khokhol
khokhols
khokhly
katsap
katsaps
moskal
moskals
rashist
ruscist
vatnik
orc
ukronazi
ukronazis
ukro nazi
ukro nazis
ukrainazi
ukrainazis
ukronazia
zionazi
zionazis
shitskin
pallywood
israhell
amerikkka
ruzzia
ruzzian
ruzzians
russtard
russtards
scamgeria
turdkey
"""
