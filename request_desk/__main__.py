from __future__ import annotations

from request_desk.cli import main

raise SystemExit(main())
