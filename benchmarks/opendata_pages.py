"""Benchmark: how long the open-data pages and files take to build on the demo data.

Run ``uv run tirage demo --no-serve`` first (five services, 24 months of indicators), then
``uv run python benchmarks/opendata_pages.py [--repeat 5]``. Each URL is requested through
Django's test client (no network; the whole view, templates and queries) against the
demo database in ``./var``; prints the median seconds, the number of queries and the
response size. Read-only. Not part of the test run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirage.settings")


def main(repeat: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tirage.opendata.models import DigitalService
    from tirage.opendata.views import service_charts

    client = Client(HTTP_HOST="127.0.0.1")
    urls = ["/donnees-ouvertes/"]
    for service in DigitalService.objects.all():
        urls.append(f"/donnees-ouvertes/services/{service.slug}/")
    busiest = max(DigitalService.objects.all(), key=lambda s: len(service_charts(s)))
    first = service_charts(busiest)[0]
    urls += [
        f"/donnees-ouvertes/services/{busiest.slug}/graphiques/{first.slug}.svg",
        "/donnees-ouvertes/datapackage.json",
        "/donnees-ouvertes/catalogue.jsonld",
        "/donnees-ouvertes/indicateurs-services-numeriques.csv",
        "/donnees-ouvertes/api/indicateurs-services-numeriques/",
    ]
    print(f"{'URL':70} {'median s':>9} {'queries':>8} {'kB':>8}")
    for url in urls:
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        size = len(response.content) / 1024
        print(f"{url:70} {statistics.median(times):9.3f} {len(queries):8d} {size:8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    main(parser.parse_args().repeat)
