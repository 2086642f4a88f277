"""Running the application under uvicorn, with the server's own safe settings."""

from __future__ import annotations

import click

from .app import create_app
from .config import ServeConfig


def run_server(config: ServeConfig) -> None:
    app = create_app(config)  # opens the store first: a missing build is a clear error, not a 500
    where = f"[{config.host}]" if ":" in config.host else config.host
    click.echo(f"serving {config.build_dir / 'store'} at http://{where}:{config.port}/ (read-only; Ctrl-C stops)")
    import uvicorn

    uvicorn.run(app, host=config.host, port=config.port, log_level="warning", server_header=False,
                date_header=True, proxy_headers=False, access_log=False,
                timeout_keep_alive=5, limit_concurrency=256)
