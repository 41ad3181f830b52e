"""The notes' derivations, one module per topic; each step quotes the notes.

Checked by ``derive check`` (default path ``./proofs``) and by ``pytest``.
"""
