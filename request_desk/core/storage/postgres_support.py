"""Everything that only PostgreSQL has, in one place (the shared office server).

The counterpart of ``sqlite_support``: connection set-up, the write lock, the
append-only triggers, the search indexes, the change notifications and the
sequences behind explicitly numbered rows. The rest of the desk speaks plain
SQLAlchemy, or SQL that both engines accept (``INSERT … ON CONFLICT``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, and_, bindparam, event, func
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import OperationalError

from request_desk.core.errors import StorageBusy, StorageReadOnly
from request_desk.core.storage.models import Request, table_of

DRIVER = "postgresql+psycopg"

#: Execution option of the desk's write transactions (``Database.write``).
WRITER_OPTION = "pg_writer"
WRITE_OPTIONS = {WRITER_OPTION: True}
# Every write transaction takes this transaction-scoped advisory lock first:
# writers are serialized as SQLite's BEGIN IMMEDIATE serializes them, so every
# read-decide-write of the desk (gapless numbers, the optimistic version check,
# "only one open assignment") stays as correct on the server as on one PC.
# Readers never take it: paging the list never waits for a writer.
WRITE_LOCK_KEY = 0x5244_4553  # "RDES"
LOCK_TIMEOUT_MS = 10_000

#: The channel a committed change is announced on (``NOTIFY``), see ``desk_changes``.
CHANGE_CHANNEL = "request_desk_changes"


def url_for(location: str) -> URL:
    """The engine URL for a ``postgresql://user@host/db`` location, with the psycopg 3 driver."""
    url = make_url(location.strip())
    return url.set(drivername=DRIVER)


def shown(url: URL | str) -> str:
    """A location as a clerk may see it: never the password."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)


def configure(engine: Engine) -> None:
    """Session settings for every connection, the write lock, and clear errors."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Moments are stored as UTC wall-clock values, as the SQLite file stores them;
        # the server's own time zone must not shift them.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
            cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
            # A desk's queries are short: starting parallel workers cost ~100 ms and JIT ~13 ms a
            # query on the measuring machine, more than the searches themselves (benchmarks/RESULTS.md).
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SET jit = off")
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITER_OPTION):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> BaseException | None:
        return storage_error(context.original_exception, shown(engine.url))


def storage_error(exc: BaseException, where: str) -> BaseException | None:
    """A clear Chinese DeskError for a server that cannot be reached, is read-only or holds a lock too long."""
    state = getattr(getattr(exc, "diag", None), "sqlstate", None) or getattr(exc, "sqlstate", None)
    if state == "55P03":  # lock_not_available: another desk's save held the write lock too long
        return StorageBusy(f"数据库服务器 {where} 正忙（另一台电脑的保存长时间未完成），等待 "
                           f"{LOCK_TIMEOUT_MS // 1000} 秒后仍无法保存。本次操作未保存，请稍后重试。")
    if state == "25006":  # read_only_sql_transaction: a standby server
        return StorageReadOnly(f"数据库服务器 {where} 是只读的（备用服务器），无法保存。本次操作未保存。")
    return None


def unreachable_message(where: str, exc: OperationalError) -> str:
    return (f"无法连接数据库服务器 {where}：{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}。"
            "请检查网络、服务器地址、用户名和密码，或请信息技术人员确认服务器已启动。")


def append_only_ddl(table: str) -> list[str]:
    """A trigger that refuses every UPDATE and DELETE of ``table`` (the audit log, issued letters)."""
    function = f"{table}_append_only"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        # An integrity violation, as SQLite's RAISE(ABORT) is: the desk reports both alike.
        f"BEGIN RAISE EXCEPTION '{table} is append-only' USING ERRCODE = 'integrity_constraint_violation'; END $$",
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def drop_append_only_ddl(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}", f"DROP FUNCTION IF EXISTS {table}_append_only()"]


def reset_sequences(conn: Connection, tables: list[str] | None = None) -> None:
    """Move each table's id sequence past its largest id (after rows were inserted with their ids).

    SQLite gives the largest id plus one by itself; a PostgreSQL sequence knows
    nothing of ids written explicitly (the ledger import, the demo data, a
    move from SQLite) and would hand out one of them again.
    """
    rows = conn.exec_driver_sql(
        "SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname) "
        "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
        "AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL").fetchall()
    for table, column, sequence in rows:
        if tables is not None and table not in tables:
            continue
        conn.exec_driver_sql(
            f'SELECT setval(%(s)s, coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
            {"s": sequence})


def table_names(conn: Connection) -> list[str]:
    """The tables of the connection's current schema."""
    return [str(r[0]) for r in conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()]


KEY_TABLE_OPTIONS = ""


def rename_table_ddl(old: str, new: str) -> list[str]:
    """Rename a table and its primary key's index, which keeps the old table's name otherwise.

    (A later table of the old name would then fail on an index name already taken.)
    """
    return [f"ALTER TABLE {old} RENAME TO {new}", f"ALTER INDEX IF EXISTS {old}_pkey RENAME TO {new}_pkey"]


def row_trigger_ddl(name: str, when: str, body: str, condition: str | None = None) -> list[str]:
    """A row trigger running ``body`` (SQL both engines accept, using ``new``/``old``) ``when`` it fires.

    ``when`` is as SQLite writes it (``AFTER INSERT ON t``), ``condition`` an
    optional test of the row (``new.reached``). PostgreSQL runs trigger bodies
    as functions; ``sqlite_support.row_trigger_ddl`` writes the same trigger inline.
    """
    test = f" WHEN ({condition})" if condition else ""
    return [
        f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body}; RETURN NULL; END $$",
        f"CREATE TRIGGER {name} {when} FOR EACH ROW{test} EXECUTE FUNCTION {name}_fn()",
    ]


def drop_row_trigger_ddl(name: str, table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}_fn()"]


class ChangeListener:
    """A connection of its own that sleeps until another desk commits a change (``LISTEN``).

    ``Database.write`` sends ``NOTIFY`` with every write transaction; the server
    delivers it when (and only if) that transaction commits.
    """

    def __init__(self, url: URL) -> None:
        import psycopg  # noqa: PLC0415  (only a desk on the server listens)

        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn = psycopg.connect(conninfo, autocommit=True)
        self._conn.execute(f"LISTEN {CHANGE_CHANNEL}")

    def wait(self, timeout: float) -> bool:
        """Whether a change was announced within ``timeout`` seconds (all pending ones are taken)."""
        got = False
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            got = True
        return got

    def close(self) -> None:
        self._conn.close()


# --------------------------------------------------------------------------
# Search: the grams index and the contact keys. See storage/search.py for the
# design and storage/contact_keys.py for what the keys are.
# --------------------------------------------------------------------------

SEARCH_TEXT = "rd_search_text"
SEARCH_GRAMS = "rd_search_grams"
TERM_GRAMS = "rd_term_grams"
SEARCH_INDEX = "ix_request_search_grams"
SEARCHED_COLUMNS = ("reg_number", "applicant_name", "description")
_REQUEST = table_of(Request)
# Between the columns: a character nobody types (a search term never holds it,
# ``search.parse_terms`` splits on it as on any space), so no gram and no
# substring test spans two columns, as none spans two FTS5 columns.
_SEP = r"E'\x1f'"

_SEARCH_FUNCTIONS = [
    # The searched text, lower-cased (ASCII under the C locale, as SQLite's LIKE).
    # Plain SQL, so the planner inlines it and matches it with the index's expression.
    f"CREATE OR REPLACE FUNCTION {SEARCH_TEXT}(reg_number text, applicant_name text, description text) "
    "RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
    f"SELECT lower(coalesce(reg_number, '') || {_SEP} || coalesce(applicant_name, '') || {_SEP} "
    "|| coalesce(description, '')) $$",
    # Every character and every 2-character window of the text: what the GIN index holds
    # (the index keeps each gram once). Built from the characters' array, not by substr()
    # per position: 70 µs a request instead of 200. COST: far dearer than a substring
    # test, so a plan walking the sort order tests strpos first and this only on a match.
    f"CREATE OR REPLACE FUNCTION {SEARCH_GRAMS}(searched text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$ "
    f"SELECT array_remove(c, {_SEP}) || ARRAY(SELECT a || b FROM unnest(c[1 : n - 1], c[2 : n]) AS t(a, b) "
    f"WHERE a <> {_SEP} AND b <> {_SEP}) "
    "FROM (SELECT string_to_array(searched, NULL) AS c, length(searched) AS n) AS s $$",
    # The grams a term's matches must all hold: itself if 1-2 characters, else its 2-character windows.
    f"CREATE OR REPLACE FUNCTION {TERM_GRAMS}(term text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT CASE WHEN length(term) <= 2 THEN ARRAY[lower(term)] ELSE ARRAY("
    "SELECT DISTINCT substr(lower(term), i, 2) FROM generate_series(1, length(term) - 1) AS i) END $$",
]


def searched_text_sql() -> str:
    """The expression of the searched text, as the index holds it."""
    return f"{SEARCH_TEXT}({', '.join(SEARCHED_COLUMNS)})"


def search_create_ddl() -> list[str]:
    """The search functions and the GIN index of every request's grams (built from the rows already there)."""
    return [*_SEARCH_FUNCTIONS,
            # For this transaction only: a GIN index over a million requests builds faster
            # with more than the default 64 MB to collect its entries in (4 minutes here).
            "SET LOCAL maintenance_work_mem = '256MB'",
            f"CREATE INDEX {SEARCH_INDEX} ON request USING gin ({SEARCH_GRAMS}({searched_text_sql()}))"]


def search_drop_ddl() -> list[str]:
    return [f"DROP INDEX IF EXISTS {SEARCH_INDEX}",
            f"DROP FUNCTION IF EXISTS {SEARCH_GRAMS}(text)", f"DROP FUNCTION IF EXISTS {TERM_GRAMS}(text)",
            f"DROP FUNCTION IF EXISTS {SEARCH_TEXT}(text, text, text)"]


# ``contact_keys.keys`` in PL/pgSQL: the same keys, written by triggers on the
# server as the SQLite triggers write them through the Python function. Each
# helper follows the function of ``masking`` it is named after; only whether a
# phone number reads and the digits of area code + number matter here.
_CONTACT_FUNCTIONS = [
    # masking._classify: (kind, area code + number), both NULL for a number that does not read.
    "CREATE OR REPLACE FUNCTION rd_phone_classify(digits text, area_len integer, OUT kind text, OUT keyed text) "
    "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN "
    "IF digits ~ '^1[3-9][0-9]{9}$' THEN kind := 'mobile'; keyed := digits; "
    "ELSIF digits ~ '^(0|86)1[3-9][0-9]{9}$' THEN kind := 'mobile'; keyed := right(digits, 11); "
    "ELSIF digits ~ '^[48]00[0-9]{7}$' OR digits ~ '^(1[0-2][0-9]{3,4}|9[56][0-9]{3,4})$' THEN "
    "kind := 'service'; keyed := digits; "
    "ELSIF left(digits, 1) = '0' THEN "
    "IF length(digits) - coalesce(area_len, CASE WHEN left(digits, 2) IN ('01', '02') THEN 3 ELSE 4 END) "
    "IN (7, 8) THEN kind := 'landline'; keyed := digits; END IF; "
    "ELSIF digits ~ '^[2-9][0-9]{6,7}$' THEN kind := 'local'; keyed := digits; "
    "END IF; END $$",
    # The digit groups of ``text`` split at hyphens, empty ones left out.
    "CREATE OR REPLACE FUNCTION rd_phone_groups(text text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(array_agg(d ORDER BY n), '{}') FROM ("
    "SELECT regexp_replace(g, '[^0-9]', '', 'g') AS d, n FROM unnest(string_to_array(text, '-')) "
    "WITH ORDINALITY AS t(g, n)) AS groups WHERE d <> '' $$",
    # masking.parse_phone of one part: area code + number, NULL if it does not read.
    "CREATE OR REPLACE FUNCTION rd_phone_keyed(part text) RETURNS text "
    "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ DECLARE "
    "t text := part; ext text := ''; m text[]; digits text; d text; rest text; area_len integer; "
    "bracket text[]; groups text[]; after text[]; parsed record; retry record; BEGIN "
    r"m := regexp_match(t, '^(.*?)[\s-]*(转|分机|ext\.?|x|#)\s*([0-9]{1,6})$', 'i'); "
    r"IF m IS NOT NULL THEN t := regexp_replace(m[1], '^\s+|\s+$', '', 'g'); ext := m[3]; END IF; "
    r"IF t ~ '[^0-9\s()+.-]' THEN RETURN NULL; END IF; "
    "digits := regexp_replace(t, '[^0-9]', '', 'g'); "
    "IF digits = '' THEN RETURN NULL; END IF; "
    "IF left(t, 1) = '+' OR left(digits, 2) = '00' THEN "  # masking._international
    "d := CASE WHEN left(digits, 2) = '00' THEN substr(digits, 3) ELSE digits END; "
    "IF left(d, 2) = '86' THEN rest := substr(d, 3); "
    "RETURN (rd_phone_classify(CASE WHEN left(rest, 1) = '1' THEN rest ELSE '0' || rest END, NULL)).keyed; "
    "END IF; "
    "RETURN CASE WHEN length(d) BETWEEN 7 AND 15 THEN d END; END IF; "
    r"bracket := regexp_match(t, '^\((0[0-9]{2,3})\)(.*)$'); "  # masking._domestic
    "groups := rd_phone_groups(t); "
    "IF bracket IS NOT NULL THEN area_len := length(bracket[1]); after := rd_phone_groups(bracket[2]); "
    "IF ext = '' AND cardinality(after) = 2 AND length(after[1]) IN (7, 8) AND length(after[2]) <= 6 THEN "
    "digits := bracket[1] || after[1]; ext := after[2]; END IF; "
    "ELSIF cardinality(groups) >= 2 AND groups[1] ~ '^0[0-9]{2,3}$' THEN area_len := length(groups[1]); "
    "IF ext = '' AND cardinality(groups) = 3 AND length(groups[2]) IN (7, 8) AND length(groups[3]) <= 6 THEN "
    "digits := groups[1] || groups[2]; ext := groups[3]; END IF; "
    "END IF; "
    "parsed := rd_phone_classify(digits, area_len); "
    "IF parsed.kind IS NULL AND ext = '' AND cardinality(groups) >= 2 "
    "AND length(groups[cardinality(groups)]) <= 6 THEN "
    "retry := rd_phone_classify(array_to_string(groups[1 : cardinality(groups) - 1], ''), area_len); "
    "IF retry.kind IN ('landline', 'service') THEN parsed := retry; END IF; "
    "END IF; "
    "RETURN parsed.keyed; END $$",
    # contact_keys.keys: the reversed digit strings of every phone part and of the ID number.
    "CREATE OR REPLACE FUNCTION rd_contact_keys(phone text, id_number text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT reverse(digits)) FILTER (WHERE length(digits) >= 4), '{}') FROM ("
    "SELECT unnest(ARRAY[rd_phone_keyed(part), regexp_replace(part, '[^0-9]', '', 'g')]) AS digits FROM ("
    r"SELECT regexp_replace(p, '^\s+|\s+$', '', 'g') AS part FROM regexp_split_to_table("
    "translate(normalize(coalesce(phone, ''), NFKC), '\u2010\u2011\u2012\u2013\u2014\u2015\u2212', '-------'), "
    r"'[/,;、]|或') AS p) AS parts WHERE part <> '' "
    r"UNION ALL SELECT regexp_replace(upper(regexp_replace(normalize(coalesce(id_number, ''), NFKC), '\s', '', 'g')), "
    "'[^0-9A-Z]', '', 'g')) AS found $$",
]

_CONTACT_INSERT = ("INSERT INTO request_contact (key, request_id) SELECT k, new.id "
                   "FROM unnest(rd_contact_keys(new.phone, new.id_number)) AS k ON CONFLICT DO NOTHING")
_CONTACT_DELETE = "DELETE FROM request_contact WHERE request_id = old.id"


def month_of(date_sql: str) -> str:
    """SQL for a date column's month as ``YYYY-MM``."""
    return f"to_char({date_sql}, 'YYYY-MM')"


def contact_keys_contain(keys_sql: str, key_param: str) -> str:
    """A test that the contact keys ``keys_sql`` computes (a text[] here) include ``key_param``."""
    return f"{key_param} = ANY({keys_sql})"


def contact_create_ddl() -> list[str]:
    """``contact_keys.create_ddl`` on the server: the key table, the key function, the triggers, the backfill."""
    return [
        # Byte order (COLLATE "C"): "ends with 1234" is the range '4321' <= key < '4322' in any server locale.
        'CREATE TABLE request_contact (key text COLLATE "C" NOT NULL, request_id integer NOT NULL, '
        "PRIMARY KEY (key, request_id))",
        "CREATE INDEX ix_request_contact_request ON request_contact (request_id)",
        *_CONTACT_FUNCTIONS,
        *row_trigger_ddl("request_contact_ai", "AFTER INSERT ON request", _CONTACT_INSERT),
        *row_trigger_ddl("request_contact_au", "AFTER UPDATE OF phone, id_number ON request",
                         f"{_CONTACT_DELETE}; {_CONTACT_INSERT}",
                         "old.phone IS DISTINCT FROM new.phone OR old.id_number IS DISTINCT FROM new.id_number"),
        *row_trigger_ddl("request_contact_ad", "AFTER DELETE ON request", _CONTACT_DELETE),
        "INSERT INTO request_contact (key, request_id) SELECT k, r.id FROM request AS r, "
        "unnest(rd_contact_keys(r.phone, r.id_number)) AS k ON CONFLICT DO NOTHING",
    ]


def contact_drop_ddl() -> list[str]:
    return [
        *drop_row_trigger_ddl("request_contact_ai", "request"),
        *drop_row_trigger_ddl("request_contact_au", "request"),
        *drop_row_trigger_ddl("request_contact_ad", "request"),
        "DROP TABLE IF EXISTS request_contact",
        "DROP FUNCTION IF EXISTS rd_contact_keys(text, text)", "DROP FUNCTION IF EXISTS rd_phone_keyed(text)",
        "DROP FUNCTION IF EXISTS rd_phone_groups(text)", "DROP FUNCTION IF EXISTS rd_phone_classify(text, integer)",
    ]


def search_clause(terms: list[str], *, index: bool = True, confirm: bool = True) -> ColumnElement[bool]:
    """Requests holding every one of ``terms`` (1+ characters each), through ``ix_request_search_grams``.

    Each term is written into the SQL as a literal rather than bound: the
    planner then sees its grams (and how common they are, from the index's
    statistics) and chooses between reading the index's matches and walking
    the list's sort order, as a bound parameter's generic plan could not.
    ``strpos`` is the exact test (a term of 3+ characters holds more than its
    grams say); it is also the cheap test when the sort order is walked.
    ``index=False`` leaves out the index's condition (a walk needs only the
    test), ``confirm=False`` the test (requests holding the terms' grams).
    """
    searched = getattr(func, SEARCH_TEXT)(*(_REQUEST.c[c] for c in SEARCHED_COLUMNS))
    grams = getattr(func, SEARCH_GRAMS)(searched)
    found: list[ColumnElement[bool]] = []
    for term in terms:
        literal = bindparam(None, term, type_=String, literal_execute=True)
        if index:
            found.append(grams.op("@>", is_comparison=True)(getattr(func, TERM_GRAMS)(literal)))
        if confirm or not index:
            found.append(func.strpos(searched, func.lower(literal)) > 0)
    return and_(*found)
