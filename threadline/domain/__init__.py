"""Small domain helpers that the actions, the guarded reads and the views share.

Owns text cleaning and Markdown (``text``), vote ranking (``ranking``), the names guests
and accounts may use (``names``), who is acting (``identity``), which page URLs may become
stories (``storypaths``), the site's guidelines link (``guidelines``) and the initials and
colours of an avatar (``avatars``).

Pure helpers: they import only the models, ``errors``, ``scoring.normalize`` (``names``
folds names as the word lists do) and each other; never the actions, the reads, the views,
``delivery``, ``server`` or the commands.
"""
