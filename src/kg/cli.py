"""The ``kg`` command line: thin commands over the Python API of the same names.

Library errors (:class:`kg.errors.KgError`) become messages and exit codes here, and only
here. Exit codes: 0 success; 1 the data does not conform (validation violations);
2 bad input (syntax error, unknown path, bad option or parameter); 3 query timeout.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import KgError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn a :class:`KgError` raised by the library into ``kg: message`` and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KgError as error:
            click.echo(f"kg: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]


def source_options(command: F) -> F:
    """``--project``, ``--bundled``, ``--data``, ``--ontology``, ``--shapes``: which files."""
    existing = click.Path(path_type=Path)
    for option in reversed([
        click.option("--project", type=existing, default=None,
                     help="A project folder holding ontology/ data/ shapes/ [queries/] "
                          "(default: the one found upwards from the working directory)."),
        click.option("--bundled", "use_bundled", is_flag=True, default=False,
                     help="Use kg's installed copy of the ontology, data and shapes, even "
                          "inside a project folder."),
        click.option("--data", type=existing, default=None,
                     help="The data folder (default: the bundled data)."),
        click.option("--ontology", type=existing, default=None,
                     help="The ontology folder (default: the bundled ontology)."),
        click.option("--shapes", type=existing, default=None,
                     help="The SHACL shapes folder (default: the bundled shapes)."),
    ]):
        command = option(command)
    return command


def _project(project: Path | None, use_bundled: bool, *, err: bool,
             **folders: Path | None) -> Path | None:
    """The project folder a command works on (given, else found upwards from the working
    directory unless ``--bundled``; ``None``: the installed copy), after saying which, as
    the command's first line (on stderr when ``err``: the command's stdout is data)."""
    from .load import resolve_bundle

    bundle = resolve_bundle(project=project, discover=not use_bundled, **folders)
    click.echo(f"kg: {bundle.describe()}", err=err)
    return bundle.root if bundle.origin == "project" else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """kg: a knowledge graph of organizations, people and agreements from news reporting.

    Every fact cites the article and the words that state it.

    \b
    Examples:
      kg validate                      check the bundled data
      kg build --out build             validate, then write build/kg.trig, kg.nq, manifest.json
    """


# ---------------------------------------------------------------- validate / build


@cli.command(name="validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@source_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report as readable text or as JSON (stable keys).")
@reports_errors
def validate_command(paths: tuple[Path, ...], project: Path | None, use_bundled: bool,
                     data: Path | None, ontology: Path | None, shapes: Path | None,
                     output_format: str) -> None:
    """Check data files against the ontology and the SHACL shapes.

    PATHS are data files or folders (default: the data folder). Exit status: 0 clean
    (warnings allowed), 1 violations, 2 a file that cannot be read or parsed.

    \b
    Examples:
      kg validate
      kg validate data/ my-article.trig --format json
    """
    from .validate import validate

    project = _project(project, use_bundled, err=output_format == "json", data=data,
                       ontology=ontology, shapes=shapes)
    report = validate(paths, project=project, data=data, ontology=ontology, shapes=shapes)
    if output_format == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True))
    else:
        click.echo(report.to_text())
    sys.exit(0 if report.conforms else 1)


@cli.command(name="build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@source_options
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Folder to write kg.trig, kg.nq and manifest.json into.")
@reports_errors
def build_command(paths: tuple[Path, ...], project: Path | None, use_bundled: bool,
                  data: Path | None, ontology: Path | None, shapes: Path | None,
                  out: Path) -> None:
    """Validate, then write the combined graph (TriG, N-Quads, manifest) atomically.

    Invalid data writes nothing and leaves an earlier build untouched (exit 1).

    \b
    Example:
      kg build --out build
    """
    from .build import build
    from .errors import ValidationFailed

    project = _project(project, use_bundled, err=False, data=data, ontology=ontology,
                       shapes=shapes)
    try:
        result = build(paths, out=out, project=project, data=data, ontology=ontology,
                       shapes=shapes)
    except ValidationFailed as failed:
        click.echo(failed.report.to_text(), err=True)  # type: ignore[attr-defined]
        click.echo(f"kg build: nothing written to {out}", err=True)
        sys.exit(1)
    click.echo(_build_summary(result.manifest))
    click.echo(f"wrote {', '.join(str(f) for f in result.files)}")


def _build_summary(manifest: dict[str, Any]) -> str:
    lines = ["entities per class:"]
    width = max((len(k) for k in manifest["entities_per_class"]), default=0)
    for name, count in manifest["entities_per_class"].items():
        lines.append(f"  {name:<{width}}  {count:>5}")
    lines.append(f"statements: {manifest['statements']} (asserted), "
                 f"{manifest['quads']} quads with ontology and entailment")
    lines.append(f"sources: {len(manifest['sources'])}")
    for source in manifest["sources"]:
        issued = f"{source['issued']}{' (inferred)' if source['issued_inferred'] else ''}"
        lines.append(f"  {source['identifier']}  {issued:<21}  "
                     f"{source['statements']:>4} statements  {source['label']}")
    return "\n".join(lines)


@cli.command(name="format")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only report files not in canonical form (exit 1).")
@click.option("--project", type=click.Path(path_type=Path), default=None,
              help="A project folder whose data/ to format (default: the one found upwards "
                   "from the working directory).")
@click.option("--bundled", "use_bundled", is_flag=True, default=False,
              help="Format kg's installed copy of the data.")
@reports_errors
def format_command(paths: tuple[Path, ...], check: bool, project: Path | None,
                   use_bundled: bool) -> None:
    """Rewrite data files in their canonical, sorted serialization.

    PATHS default to the project's data folder (the installed copy's outside a project).
    Comments are not kept: the canonical form is rebuilt from the statements alone.

    \b
    Examples:
      kg format data/
      kg format --check data/
    """
    from .canonical import canonical_text
    from .load import rdf_files, resolve_bundle

    bundle = resolve_bundle(project=project, discover=not use_bundled)
    if not paths:
        click.echo(f"kg: {bundle.describe()}")
    unformatted = []
    files = rdf_files(paths or [bundle.data])
    for path in files:
        text = canonical_text(path)
        if path.read_text(encoding="utf-8") != text:
            unformatted.append(path)
            if not check:
                path.write_text(text, encoding="utf-8")
    verb = "would reformat" if check else "reformatted"
    for path in unformatted:
        click.echo(f"{verb} {path}")
    if unformatted:
        click.echo(f"kg format: {verb} {len(unformatted)} of {len(files)} files")
    else:
        click.echo(f"kg format: all {len(files)} files are canonical")
    sys.exit(1 if check and unformatted else 0)


@cli.command(name="contradictions")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@source_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A readable list or JSON.")
@reports_errors
def contradictions_command(paths: tuple[Path, ...], project: Path | None, use_bundled: bool,
                           data: Path | None, ontology: Path | None, shapes: Path | None,
                           output_format: str) -> None:
    """List the facts two sources give different values for (both values, sources, lines).

    A finding, not a failure: exit 0 whatever is found (kg validate shows the same list as
    kg:contradiction warnings).

    \b
    Examples:
      kg contradictions
      kg contradictions --format json
    """
    from .contradictions import contradictions

    project = _project(project, use_bundled, err=output_format == "json", data=data,
                       ontology=ontology)
    found = contradictions(paths, project=project, data=data, ontology=ontology)
    if output_format == "json":
        click.echo(json.dumps([c.to_dict() for c in found], indent=2, sort_keys=True))
        return
    for c in found:
        name = f"{c.fact_label} <{c.fact}>" if c.fact_label else f"<{c.fact}>"
        click.echo(f"{name}, {c.property}:")
        for side in (c.first, c.second):
            where = f"{side.file}:{side.line}" if side.line else (side.file or "?")
            click.echo(f"  {where}: {', '.join(side.values)}  (in <{side.source}>)")
    click.echo(f"kg contradictions: {len(found)} found")


@cli.command(name="new-article")
@click.argument("text_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--id", "article_id", required=True,
              help="The article's id: names data/sources/ID.txt, data/ID.trig and src:ID.")
@click.option("--publisher", required=True, help="The news agency, e.g. kgr:trend.")
@click.option("--issued", required=True, help="The publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--dateline", default=None,
              help="The dateline as printed (default: the first non-blank line of the text).")
@click.option("--label", default=None, help="A one-line editorial label for the article.")
@click.option("--project", type=click.Path(path_type=Path), default=None,
              help="The project folder to add the article to (default: the one found "
                   "upwards from the working directory).")
@reports_errors
def new_article_command(text_file: Path, article_id: str, publisher: str, issued: str,
                        dateline: str | None, label: str | None, project: Path | None) -> None:
    """Start a new article: copy its text to data/sources/ and write the data/ID.trig skeleton.

    Never overwrites (exit 2 if either file exists). Prints the next steps.

    \b
    Example:
      kg new-article ~/article.txt --id 002_trend_2024_11 --publisher kgr:trend --issued 2024-11-12
    """
    from .article import new_article
    from .errors import InputError
    from .load import resolve_bundle

    bundle = resolve_bundle(project=project, discover=True)
    if bundle.origin != "project":
        raise InputError("kg new-article works inside a project (a folder with ontology/ "
                         "data/ shapes/); run it there or give --project")
    click.echo(f"kg: {bundle.describe()}")
    made = new_article(text_file, id=article_id, publisher=publisher, issued=issued,
                       data=bundle.data, dateline=dateline, label=label)
    click.echo(f"wrote {made.text}")
    click.echo(f"wrote {made.trig}"
               + (" (dcterms:issued flagged as inferred: the dateline prints no year)"
                  if made.issued_inferred else ""))
    click.echo("next steps:")
    for number, step in enumerate(made.next_steps, start=1):
        click.echo(f"  {number}. {step}")


# ---------------------------------------------------------------- query / serve


_SELECT_FORMATS = ["table", "csv", "tsv", "json", "xml"]
_GRAPH_FORMATS = ["turtle", "ntriples", "jsonld", "trig", "rdfxml", "nquads"]


def _graph_for(project: Path | None, data: Path | None, ontology: Path | None) -> Any:
    """The graph to query: the one the options name, else the installed one (cached)."""
    from .load import load
    from .queries import default_graph

    if project is None and data is None and ontology is None:
        return default_graph()
    return load(project=project, data=data, ontology=ontology)


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--param")
        if key.strip() in params:
            raise click.BadParameter(f"{key.strip()!r} is given twice", param_hint="--param")
        params[key.strip()] = value
    return params


@cli.command(name="query")
@click.argument("name", required=False)
@click.option("--param", "-p", "param_pairs", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query (repeatable).")
@click.option("--file", "query_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Run the query in this .rq file (its header may declare parameters).")
@click.option("--sparql", "sparql_text", metavar="TEXT", help="Run this SPARQL query text.")
@click.option("--format", "output_format", type=click.Choice(_SELECT_FORMATS + _GRAPH_FORMATS),
              default=None, help="table (default), csv, tsv, json or xml for SELECT/ASK; "
              "turtle (default), ntriples, jsonld or trig for CONSTRUCT/DESCRIBE.")
@source_options
@reports_errors
def query_command(name: str | None, param_pairs: tuple[str, ...], query_file: Path | None,
                  sparql_text: str | None, output_format: str | None, project: Path | None,
                  use_bundled: bool, data: Path | None, ontology: Path | None,
                  shapes: Path | None) -> None:
    """Run a named query (NAME), a query file or a SPARQL text, and print the result.

    Updates, SERVICE and FROM a graph outside the dataset are refused; nothing is fetched.
    A syntax error is reported with its line and column (exit 2).

    \b
    Examples:
      kg query cq01-agreements-between
      kg query people-of-organization --param organization=kgr:icesco --format csv
      kg query --file my-query.rq -p person=kgr:leyla-aliyeva
      kg query --sparql 'SELECT ?p WHERE { ?p a kg:Person }'
      kg query --sparql 'DESCRIBE kgr:icesco' --format turtle
    """
    from .queries import NamedQuery, named_query
    from .sparql_guard import QueryKind

    given = [x for x in (name, query_file, sparql_text) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of NAME, --file or --sparql "
                               "(kg queries lists the names)")
    project = _project(project, use_bundled, err=True, data=data, ontology=ontology)
    graph = _graph_for(project, data, ontology)
    if name is not None:
        named = named_query(name, folder=graph.bundle.queries)
    elif query_file is not None:
        if not query_file.is_file():
            raise click.BadParameter(f"no such file: {query_file}", param_hint="--file")
        named = NamedQuery.from_file(query_file)
    else:
        named = NamedQuery.from_text(sparql_text or "", name="sparql")
    result = named.run(graph, _params(param_pairs))
    chosen = output_format or ("turtle" if result.kind in (QueryKind.CONSTRUCT,
                                                            QueryKind.DESCRIBE) else "table")
    click.echo(result.serialize(chosen).decode("utf-8"), nl=False)


@cli.command(name="queries")
@click.option("--project", type=click.Path(path_type=Path), default=None,
              help="A project folder whose queries/ to list (default: the one found upwards "
                   "from the working directory, else the installed ones).")
@click.option("--bundled", "use_bundled", is_flag=True, default=False,
              help="List kg's installed named queries, even inside a project folder.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A readable list or JSON.")
@reports_errors
def queries_command(project: Path | None, use_bundled: bool, output_format: str) -> None:
    """List the named queries with their parameters (type, example, default).

    \b
    Examples:
      kg queries
      kg queries --format json
    """
    from .load import resolve_bundle
    from .queries import queries

    bundle = resolve_bundle(project=project, discover=not use_bundled)
    click.echo(f"kg: {bundle.describe()}", err=output_format == "json")
    catalogue = queries(folder=bundle.queries)
    if output_format == "json":
        click.echo(json.dumps([q.to_json() for q in catalogue], indent=2))
        return
    for named in catalogue:
        click.echo(f"{named.name}\n    {named.title}")
        for param in named.params:
            how = {"required": f"required, e.g. {param.example}",
                   "optional": f"optional, e.g. {param.example}",
                   "default": f"default {param.example}"}[param.use]
            click.echo(f"    --param {param.name}=<{param.type.value}>  {param.description} "
                       f"({how})")


@cli.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@source_options
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (the client gets 503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) in a result; more is a 400.")
@click.option("--max-body", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Largest request body in bytes; more is a 413.")
@click.option("--threads", type=click.IntRange(min=1), default=4, show_default=True,
              help="Requests served at once (each query runs in its own process).")
@reports_errors
def serve_command(host: str, port: int, project: Path | None, use_bundled: bool,
                  data: Path | None,
                  ontology: Path | None, shapes: Path | None, timeout: float, max_rows: int,
                  max_body: int, threads: int) -> None:
    """Serve the graph: a read-only SPARQL 1.1 endpoint, named queries and a query page.

    Runs under waitress (a production WSGI server) and prints the URL. Every query runs
    in its own process, stopped after --timeout seconds.

    \b
    Examples:
      kg serve
      kg serve --port 8080 --data my-data/ --timeout 5
      curl 'http://127.0.0.1:8000/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205'
    """
    import logging
    import warnings

    from waitress.server import create_server

    from .load import load
    from .web import create_app

    # Each query runs in a forked child (kg.execute); waitress's threads are idle in the
    # parent at that moment and the child touches only the store, so the fork is safe.
    warnings.filterwarnings("ignore", category=DeprecationWarning,
                            message=r".*use of fork\(\) may lead to deadlocks")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    project = _project(project, use_bundled, err=False, data=data, ontology=ontology)
    graph = load(project=project, data=data, ontology=ontology)
    app = create_app({"GRAPH": graph, "QUERY_TIMEOUT": timeout, "MAX_ROWS": max_rows,
                      "MAX_BODY": max_body})
    server = create_server(app, host=host, port=port, threads=threads,
                           max_request_body_size=max_body, ident="kg")
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.effective_port}/"  # type: ignore[union-attr]
    click.echo(f"kg: serving {url} (SPARQL endpoint {url}sparql); press Ctrl+C to stop",
               nl=True)
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
