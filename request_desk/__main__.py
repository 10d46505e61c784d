from request_desk.cli import main

raise SystemExit(main())
