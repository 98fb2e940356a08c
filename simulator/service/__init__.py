"""The reference IRP over HTTP and a Genesys Cloud Data Action client.

* :mod:`simulator.service.app`: ``create_app`` (FastAPI routes), :mod:`.server`: ``serve``
  and ``load_token``, :mod:`.sqlite_store`: the SQLite ``StoreBackend``;
* :mod:`simulator.service.data_action`: executes exported Data Action definitions;
* :mod:`simulator.service.live`: run the service on loopback (tests, BDD, benchmarks).

Submodules are imported on demand, so the Data Action client does not load FastAPI.
"""

from __future__ import annotations
