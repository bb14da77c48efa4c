"""The tools that render the program offscreen to PNG files: the README's pictures and the
review screenshots of every page. They live outside the package (nothing in invoicedesk/
imports them) and are run from the repository root:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots/window.py --variants OUT_DIR
    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots/window.py --pages OUT_DIR
    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots/face.py OUT_DIR
    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots/red.py OUT_DIR

Run as files, each puts packaging/ on sys.path so that they import one another as
`screenshots.*`; the tests do the same through pytest's `pythonpath`.
"""
