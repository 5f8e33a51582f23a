"""Clinical content as data: typed models, the loader and its error catalog."""

from kiosk.content.bundle import Content
from kiosk.content.errors import ContentError, ContentInvalid
from kiosk.content.loader import check_folder, load_content, load_visits

__all__ = ["Content", "ContentError", "ContentInvalid", "check_folder", "load_content", "load_visits"]
