"""The patient's path: the intake controller, the one submission pipeline, the autosave journal."""
