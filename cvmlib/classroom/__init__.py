"""The instructor's room: a classroom server for participants' workbooks and a live class report.

* :mod:`cvmlib.classroom.hub`: the classroom server (``python -m cvmlib.classroom serve``, ``make classroom``):
  JupyterHub with a sign-in by name and room password, and the instructor as admin;
* :mod:`cvmlib.classroom.auth`: the sign-in (names, passwords, the language chosen);
* :mod:`cvmlib.classroom.homes`: one home per participant, filled with the workbooks in their language;
* :mod:`cvmlib.classroom.spawner`: each participant's JupyterLab, in their home and language
  (:mod:`cvmlib.classroom.singleuser`: the server itself, started a few seconds sooner);
* :mod:`cvmlib.classroom.pages`: the words of the hub's pages, in both languages;
* :mod:`cvmlib.classroom.client`: a participant's browser without the browser (tests, load benchmark);
* :mod:`cvmlib.classroom.report`, :mod:`cvmlib.classroom.service`: the class report (HTML export, live view).
"""
