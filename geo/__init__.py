"""conflict-map: news articles about conflict and diplomacy, as places, events and maps.

The flow, one module per step: ``articles`` (files -> Article), ``places``
(text -> resolved place Mentions, over the ``gazetteer``), then events and
maps. Heavy libraries (folium, streamlit, geopandas) load only where needed.
"""

from geo.articles import Article, read_articles
from geo.errors import DataError, GeoError, InputError
from geo.gazetteer import Gazetteer, Place, load_gazetteer
from geo.places import Mention, find_places

__all__ = ["Article", "DataError", "Gazetteer", "GeoError", "InputError", "Mention", "Place",
           "find_places", "load_gazetteer", "read_articles"]
