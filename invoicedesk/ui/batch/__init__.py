"""The batch pages (issue 9): import with a dry run, progress, resume after a crash."""
