"""The scoring engine: plain Python, no Django.

It turns interview answers into competency scores. Frozen dataclasses go in (a question with its
competency, key points, reference answers and rubric levels; an answer's text and media features) and
come out (a 0-100 score with sub-scores, evidence, missing key points, and the engine's name, version and
parameters so every result can be reproduced). Scorers store configuration in their constructor, may
learn calibration in `fit()`, and score purely in `score()`; analysers for text, speech and video plug in
behind one small interface. Fusion into competency scores, an overall score and a fit level is weighted
by the job's competency model and documented in docs/scoring.md.

Packages: resume/ and screening.py (resume parsing and matching), answers/ (typed-answer scoring,
calibration, the batch record format), interview/ (question generation, job context, fusion).

Nothing here imports Django or the TalentLoop apps: the apps call the engine, never the reverse, so it
can run in a worker, a notebook or a test without settings; tests/test_no_django.py here enforces it.
"""
