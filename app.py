"""conflict-map in the browser: paste an article, see its places on a map.

A thin front end over the `geo` library (the full explorer comes with the
app issue). Run with `streamlit run app.py`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.gazetteer import load_gazetteer
from geo.places import find_places

EXAMPLE = ("KABUL, May 2 - Officials in Kabul said talks with Pakistan on border crossings near "
           "Torkham would resume in Islamabad next week, after shelling in Kunar province.")


@st.cache_resource
def gazetteer():
    return load_gazetteer()


st.set_page_config(page_title="conflict-map", layout="wide")
st.title("conflict-map")
st.caption("Places in news articles, resolved offline. Events and the time-aware map come next.")
text = st.text_area("Article text", EXAMPLE, height=180, key="text")
mentions = find_places(text, gazetteer(), "pasted")
rows = pd.DataFrame([m.to_json() for m in mentions],
                    columns=["mention", "name", "kind", "country", "lat", "lon", "place_id", "score"])
st.metric("Place mentions", len(rows))
if len(rows):
    st.map(rows.drop_duplicates("place_id"), latitude="lat", longitude="lon")
st.dataframe(rows, hide_index=True, use_container_width=True)
st.caption("Contains data from GeoNames (www.geonames.org), licensed under CC BY 4.0. "
           "Made with Natural Earth.")
