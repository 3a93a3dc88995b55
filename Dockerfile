# conflict-map's app in a container: `docker build -t conflict-map .` then
# `docker run -p 8501:8501 -v conflictmap-data:/data conflict-map` and open http://localhost:8501.
# The team's store lives in the /data volume; everything else is read-only and offline.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CONFLICTMAP_STORE=/data/store.gpkg \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY geo ./geo
# The postgis extra: -e CONFLICTMAP_STORE=postgresql://... shares one store between containers.
RUN pip install -e ".[postgis]"
COPY data ./data
COPY app.py ./
COPY .streamlit ./.streamlit

RUN useradd --create-home --uid 1000 conflictmap && mkdir -p /data && chown conflictmap /data
USER conflictmap
VOLUME /data
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
