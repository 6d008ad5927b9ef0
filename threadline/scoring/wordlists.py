"""Default word lists a new site starts with; each site edits its own copy in the desk."""

# Code words and tropes of antisemitic and racist hate speech that rarely appear in civil
# news comments; they hold a comment for review rather than reject it, since a reader may
# be quoting or discussing them.
DEFAULT_SUSPECT_WORDS = """\
# one word or phrase per line; matched after normalisation (case, leetspeak, separators)
zog
zionist occupied government
globalist cabal
rootless cosmopolitan
(((
jewish question
the goyim know
goyim
holohoax
happy merchant
great replacement
white genocide
kalergi
rothschilds control
protocols of the elders
14 words
1488
88
subhuman
untermensch
vermin
cockroaches
invaders
exterminate them
gas them
kill them all
should be shot
hope you die
deserve to die
go back to your country
"""
