"""A laptop: debug on, SQLite and in-process tasks unless the environment says otherwise."""

from .base import *  # noqa: F403

DEBUG = get_bool("DEBUG", True)  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True

import warnings  # noqa: E402

# runserver serves static files from the source folders; there is no collected STATIC_ROOT.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
