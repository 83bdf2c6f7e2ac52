"""The ``kg`` command line: thin commands over the Python API of the same names.

Library errors (:class:`kg.errors.KgError`) become messages and exit codes here, and only
here. Exit codes: 0 success; 1 the data does not conform (validation violations);
2 bad input (syntax error, unknown path, bad option or parameter); 3 query timeout.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import re
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .analysis.jobs import COMMUNITY_KINDS, GROUP_KINDS, MAX_DRAWN, MAX_NEIGHBOURS
from .analysis.model import dates_text
from .errors import KgError, QueryTimeout
from .wording import counted

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn a :class:`KgError` raised by the library into ``kg: message`` and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KgError as error:
            hint = ("; give it more time with --timeout SECONDS"
                    if isinstance(error, QueryTimeout) and "timeout" in kwargs else "")
            click.echo(f"kg: {error}{hint}", err=True)
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


def store_option(command: F) -> F:
    """``--store``: the engine that holds the graph and answers queries."""
    return click.option(
        "--store", default="oxigraph", show_default=True,
        metavar="oxigraph|rdflib|oxigraph:DIR|sparql+http://…",
        help="The triple store: oxigraph (in memory), rdflib (in memory), "
             "oxigraph:DIR, an Oxigraph folder written by kg build --store-dir "
             "(opened read-only, nothing parsed), or sparql+http(s)://HOST:PORT/PATH, a "
             "SPARQL triplestore's query endpoint that kg push filled.")(command)


def _project(project: Path | None, use_bundled: bool, *, err: bool,
             store: str | None = None, build: Path | None = None,
             **folders: Path | None) -> Path | None:
    """The project folder a command works on (given, else found upwards from the working
    directory unless ``--bundled``; ``None``: the installed copy), after saying which, as
    the command's first line (on stderr when ``err``: the command's stdout is data). When
    the graph comes from elsewhere (a built ``store``, a ``build`` folder) the line says
    so: the project then gives the named queries only."""
    from .load import resolve_bundle

    bundle = resolve_bundle(project=project, discover=not use_bundled, **folders)
    files, source = bundle.describe(), _graph_source(store, build)
    click.echo(f"kg: {files}" if source is None
               else f"kg: {source} (named queries: {files.removeprefix('using ')})", err=err)
    return bundle.root if bundle.origin == "project" else None


def _graph_source(store: str | None, build: Path | None) -> str | None:
    """What the graph is read from when it is not the project's files: ``None`` for them."""
    if build is not None:
        return f"using the build in {build}"
    if store is None or ":" not in store:
        return None
    if store.startswith("sparql+"):
        return f"using the graph in the triplestore at {store.removeprefix('sparql+')}"
    return f"using the graph in the Oxigraph store at {store.partition(':')[2]}"


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
@click.option("--engine", type=click.Choice(["rudof", "pyshacl"]), default="rudof",
              show_default=True, help="The engine of the core shapes: rudof (fast) or pyshacl "
              "(the reference); the findings are the same.")
@click.option("--changed", "changed", multiple=True, type=click.Path(path_type=Path),
              help="Re-check only what this changed file can affect (repeatable); the report "
              "holds those findings.")
@click.option("--no-cache", "no_cache", is_flag=True, default=False,
              help="With --changed: load every file again instead of starting from the store "
              "the cache keeps of the files before the change, and keep nothing.")
@reports_errors
def validate_command(paths: tuple[Path, ...], project: Path | None, use_bundled: bool,
                     data: Path | None, ontology: Path | None, shapes: Path | None,
                     output_format: str, engine: str, changed: tuple[Path, ...],
                     no_cache: bool) -> None:
    """Check data files against the ontology and the SHACL shapes.

    PATHS are data files or folders (default: the data folder). Exit status: 0 clean
    (warnings allowed), 1 violations, 2 a file that cannot be read or parsed.

    \b
    Examples:
      kg validate
      kg validate data/ my-article.trig --format json
      kg validate --changed data/my-article.trig --engine rudof
    """
    from .validate import validate

    # what is imported by now lives as long as the command: the collector need not walk
    # it again at each full collection (the 10,000 files' bookkeeping of a --changed run
    # sets off several, ~0.05 s of the run's 0.9 s CPU)
    gc.freeze()
    project = _project(project, use_bundled, err=output_format == "json", data=data,
                       ontology=ontology, shapes=shapes)
    with _cache_notes():  # (--changed starts from the cached store of the files before)
        report = validate(paths, project=project, data=data, ontology=ontology,
                          shapes=shapes, engine=engine, changed=list(changed) or None,
                          cache=bool(changed) and not no_cache)
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
@click.option("--store-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also write an Oxigraph store folder (replaced whole), for "
              "kg serve --store oxigraph:DIR.")
@reports_errors
def build_command(paths: tuple[Path, ...], project: Path | None, use_bundled: bool,
                  data: Path | None, ontology: Path | None, shapes: Path | None,
                  out: Path, store_dir: Path | None) -> None:
    """Validate, then write the combined graph (TriG, N-Quads, manifest) atomically.

    Invalid data writes nothing and leaves an earlier build untouched (exit 1).

    \b
    Examples:
      kg build --out build
      kg build --out build --store-dir build/oxigraph
    """
    from .build import build
    from .errors import ValidationFailed

    project = _project(project, use_bundled, err=False, data=data, ontology=ontology,
                       shapes=shapes)
    try:
        result = build(paths, out=out, project=project, data=data, ontology=ontology,
                       shapes=shapes, store_dir=store_dir)
    except ValidationFailed as failed:
        click.echo(failed.report.to_text(), err=True)  # type: ignore[attr-defined]
        click.echo(f"kg build: nothing written to {out}", err=True)
        sys.exit(1)
    click.echo(_build_summary(result.manifest))
    click.echo(f"wrote {', '.join(str(f) for f in result.files)}")
    if store_dir is not None:
        click.echo(f"wrote {store_dir} (the Oxigraph store and its projection: "
                   f"kg serve --store oxigraph:{store_dir})")


def _build_summary(manifest: dict[str, Any]) -> str:
    lines = ["entities per class:"]
    width = max((len(k) for k in manifest["entities_per_class"]), default=0)
    for name, count in manifest["entities_per_class"].items():
        lines.append(f"  {name:<{width}}  {count:>5}")
    lines.append(f"statements: {manifest['statements']} (asserted), "
                 f"{manifest['quads']} quads with ontology and entailment")
    sources = manifest["sources"]
    lines.append(f"sources: {len(sources)}")
    for source in sources[:_SUMMARY_SOURCES]:
        issued = f"{source['issued']}{' (inferred)' if source['issued_inferred'] else ''}"
        lines.append(f"  {source['identifier']}  {issued:<21}  "
                     f"{source['statements']:>4} statements  {source['label']}")
    if len(sources) > _SUMMARY_SOURCES:
        lines.append(f"  ... and {len(sources) - _SUMMARY_SOURCES:,} more (every source: "
                     f"manifest.json, or kg sources)")
    return "\n".join(lines)


#: how many sources the summary of ``kg build`` lists (the manifest has them all)
_SUMMARY_SOURCES = 20


@cli.command(name="push")
@click.argument("store")
@click.option("--build", "build_folder", type=click.Path(path_type=Path, file_okay=False),
              default=Path("build"), show_default=True, help="The folder kg build wrote.")
@click.option("--gsp", metavar="URL", default=None,
              help="The store's Graph Store Protocol endpoint [default: guessed for "
              "Oxigraph, Fuseki, Virtuoso, GraphDB].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds each HTTP request may take.")
@click.option("--every", is_flag=True, default=False,
              help="Replace every named graph, also those the store's catalogue says it "
                   "holds as they are (for a store changed other than by kg push).")
@reports_errors
def push_command(store: str, build_folder: Path, gsp: str | None, timeout: float,
                 every: bool) -> None:
    """Put a build into a SPARQL triplestore: each named graph replaced whole (HTTP PUT).

    STORE is sparql+http://HOST:PORT/PATH (or sparql+https://), the store's SPARQL query
    endpoint. Credentials, if the store needs them, come from the environment variables
    KG_STORE_USER and KG_STORE_PASSWORD. A graph the store holds as the build has it (its
    catalogue says so, from the last push) is left as it is. Pushing the same build twice
    leaves the store unchanged. Then: kg serve --store STORE.

    \b
    Examples:
      kg build --out build && kg push sparql+http://127.0.0.1:7878/query
      KG_STORE_USER=dba KG_STORE_PASSWORD=... kg push sparql+http://127.0.0.1:8890/sparql
      kg push sparql+http://127.0.0.1:3030/ds/query --gsp http://127.0.0.1:3030/ds/data
    """
    from .push import push

    pushed = push(build_folder, store, gsp=gsp, timeout=timeout, every=every)
    click.echo(f"kg: pushed {build_folder} to {pushed.url}: {pushed.graphs} named graphs "
               f"({pushed.replaced} replaced, {pushed.graphs - pushed.replaced} unchanged), "
               f"{pushed.quads} quads ({pushed.union} triples in the union)")
    for name in pushed.dropped:
        click.echo(f"kg: warning: <{name}> is no longer in the build; left in the store, "
                   f"outside kg's dataset", err=True)


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
    Comments are not kept: the canonical form is rebuilt from the statements alone. Every
    file is read first (one that does not parse changes none), then each is replaced in
    one step.

    \b
    Examples:
      kg format data/
      kg format --check data/
    """
    from .atomic import write_file
    from .canonical import canonical_text
    from .load import rdf_files, resolve_bundle

    bundle = resolve_bundle(project=project, discover=not use_bundled)
    if not paths:
        click.echo(f"kg: {bundle.describe()}")
    files = rdf_files(paths or [bundle.data])
    # every file read and rebuilt first: one that does not parse changes none of them
    rebuilt = {path: canonical_text(path) for path in files}
    unformatted = [path for path, text in rebuilt.items()
                   if path.read_text(encoding="utf-8") != text]
    if not check:
        for path in unformatted:  # each replaced in one step (kg.atomic.write_file)
            write_file(path, rebuilt[path])
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
@store_option
@reports_errors
def contradictions_command(paths: tuple[Path, ...], project: Path | None, use_bundled: bool,
                           data: Path | None, ontology: Path | None, shapes: Path | None,
                           output_format: str, store: str) -> None:
    """List the facts two sources give different values for (both values, sources, lines).

    A finding, not a failure: exit 0 whatever is found (kg validate shows the same list as
    kg:contradiction warnings). From a built store (--store oxigraph:DIR or
    sparql+http://…), each side names its source but no file or line.

    \b
    Examples:
      kg contradictions
      kg contradictions --format json
      kg contradictions --store oxigraph:build/oxigraph
    """
    from .contradictions import contradictions

    project = _project(project, use_bundled, err=output_format == "json", data=data,
                       ontology=ontology, store=store)
    found = contradictions(paths, project=project, data=data, ontology=ontology, store=store)
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


@cli.command(name="synth")
@click.option("--articles", type=click.IntRange(min=1), required=True,
              help="How many articles to write.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="The same seed writes the same files.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("synthetic"),
              show_default=True, help="The data folder to write (replaced if kg synth wrote it).")
@click.option("--violations", type=click.IntRange(min=0), default=0, show_default=True,
              help="Inject this many known violations (listed on stdout).")
@reports_errors
def synth_command(articles: int, seed: int, out: Path, violations: int) -> None:
    """Write a deterministic synthetic corpus in kg's model (for benchmarks and tests).

    Every quote is verbatim in the generated texts; without --violations the corpus
    passes `kg validate --data OUT`. With it, the violations `kg validate` must report
    are printed, one `rule focus` per line.

    \b
    Example:
      kg synth --articles 1000 --seed 7 --out /tmp/corpus && kg validate --data /tmp/corpus
    """
    from .synth import synth

    corpus = synth(articles=articles, seed=seed, out=out, violations=violations)
    click.echo(f"kg synth: wrote {len(corpus.articles)} articles to {corpus.out}", err=True)
    for rule, focus in corpus.expected:
        click.echo(f"{rule}\t{focus}")


def _graph_for(project: Path | None, data: Path | None, ontology: Path | None,
               store: str = "oxigraph", *, cache: bool = True,
               keys: bool | Callable[[], bool] = True, timeout: float = 30.0) -> Any:
    """The graph to query, as the options name it (``store`` as ``--store`` gives it:
    :func:`kg.load`'s ``store``); an Oxigraph load comes from the cache of loaded stores
    unless ``cache`` is off (:mod:`kg.cache`; its notes are printed as ``kg: note: …``);
    ``keys`` as :func:`kg.load.load` takes it; a remote triplestore's requests may each take
    ``timeout`` seconds (the command's --timeout, which bounds the whole job too)."""
    from .load import load

    with _cache_notes():
        return load(project=project, data=data, ontology=ontology, store=store,
                    cache=cache and store == "oxigraph", keys=keys, timeout=timeout)


@contextlib.contextmanager
def _cache_notes() -> Iterator[None]:
    """Print what the cache of loaded stores did that a user should know (a damaged entry
    rebuilt, :class:`kg.cache.CacheNote`) as ``kg: note: …`` on stderr."""
    import warnings

    from .cache import CacheNote

    with warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always", CacheNote)
        try:
            yield
        finally:
            for note in notes:
                if issubclass(note.category, CacheNote):
                    click.echo(f"kg: note: {note.message}", err=True)
                else:
                    warnings.warn_explicit(note.message, note.category, note.filename,
                                           note.lineno)


def cache_option(command: F) -> F:
    """``--no-cache``: load from the files, neither reading nor writing the cache."""
    return click.option(
        "--no-cache", "no_cache", is_flag=True, default=False,
        help="Load the files again instead of reopening the store kept from the last load "
             "of the same files (the cache, in $KG_CACHE_DIR or ~/.cache/kg/stores), and "
             "keep nothing.")(command)


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


def timeout_option(command: F) -> F:
    """``--timeout``: the bound on a user's query or analysis, on every command that runs one."""
    return click.option(
        "--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
        help="Seconds the query or analysis may run before it is stopped (exit 3).")(command)


@cli.command(name="query")
@click.argument("name", required=False)
@click.option("--param", "-p", "param_pairs", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query (repeatable).")
@click.option("--file", "query_file", type=click.Path(path_type=Path, dir_okay=False,
                                                      allow_dash=True),
              help="Run the query in this .rq file (its header may declare parameters); "
                   "- reads it from standard input.")
@click.option("--sparql", "sparql_text", metavar="TEXT", help="Run this SPARQL query text.")
@click.option("--format", "output_format", type=click.Choice(_SELECT_FORMATS + _GRAPH_FORMATS),
              default=None, help="table (default), csv, tsv, json or xml for SELECT/ASK; "
              "turtle (default), ntriples, jsonld, rdfxml, nquads or trig for "
              "CONSTRUCT/DESCRIBE.")
@timeout_option
@source_options
@store_option
@cache_option
@reports_errors
def query_command(name: str | None, param_pairs: tuple[str, ...], query_file: Path | None,
                  sparql_text: str | None, output_format: str | None, timeout: float,
                  project: Path | None, use_bundled: bool, data: Path | None,
                  ontology: Path | None,
                  shapes: Path | None, store: str, no_cache: bool) -> None:
    """Run a named query (NAME), a query file or a SPARQL text, and print the result.

    Updates, SERVICE and FROM a graph outside the dataset are refused; nothing is fetched.
    A syntax error is reported with its line and column (exit 2). The query runs in a
    separate process, stopped after --timeout seconds (exit 3). An IRI parameter that
    names nothing in the graph gets a warning on stderr with the nearest entities.

    \b
    Examples:
      kg query cq01-agreements-between
      kg query people-of-organization --param organization=kgr:icesco --format csv
      kg query --file my-query.rq -p person=kgr:leyla-aliyeva
      kg query --sparql 'SELECT ?p WHERE { ?p a kg:Person }'
      kg query --sparql 'DESCRIBE kgr:icesco' --format turtle --timeout 30
      kg query --file - < my-query.rq
    """
    from .cache import written_after
    from .execute import Limits, run_job
    from .load import resolve_bundle

    # a first load answers from the store it loaded; the cache entry is written once the
    # answer is out, by a detached process (kg.cache.written_after)
    click.get_current_context().with_resource(written_after())
    given = [x for x in (name, query_file, sparql_text) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of NAME, --file or --sparql "
                               "(kg queries lists the names)")
    project = _project(project, use_bundled, err=True, data=data, ontology=ontology,
                       store=store)
    # the query and its parameters before the load: a wrong name, file or parameter is
    # told at once, not after seconds of loading
    named = _query_given(name, query_file, sparql_text, folder=resolve_bundle(
        project=project, data=data, ontology=ontology).queries)
    bindings = named.bind(_params(param_pairs))
    parsing = _QueryWhileLoading(named.text)
    try:
        graph = _graph_for(project, data, ontology, store, cache=not no_cache,
                           keys=parsing.reads_keys, timeout=timeout)
    finally:
        parsing.join()  # (before any fork: no thread runs when the worker is forked)
    named.prepared(graph.store.graph_names, bindings)  # a syntax error is reported before any fork
    body, warnings = run_job(graph, query_job, named, bindings, output_format,
                             limits=Limits(timeout=timeout))
    for warning in warnings:
        click.echo(f"kg: warning: {warning['message']}", err=True)
    click.echo(body.decode("utf-8"), nl=False)


def _query_given(name: str | None, query_file: Path | None, sparql_text: str | None, *,
                 folder: Path) -> Any:
    """The query ``kg query`` runs: the named query ``name`` (of the queries ``folder``),
    the file ``query_file`` (``-``: standard input) or the text ``sparql_text``. A NAME
    that is no query's name but looks like a query text or names a file says which option
    takes it."""
    from .errors import UnknownQueryError
    from .queries import NamedQuery, named_query

    if name is not None:
        try:
            return named_query(name, folder=folder)
        except UnknownQueryError as error:
            shown = name if len(name) <= 40 else name[:37] + "..."
            if _SPARQL_START.match(name) or "{" in name:
                raise UnknownQueryError(f"{shown!r} is no named query; to run a SPARQL "
                                        f"text, give it with --sparql") from error
            if Path(name).is_file():
                raise UnknownQueryError(f"{shown!r} is no named query; to run the query "
                                        f"in this file, give it with --file") from error
            raise
    if query_file is not None:
        if str(query_file) == "-":
            return NamedQuery.from_text(sys.stdin.read(), name="stdin")
        if not query_file.is_file():
            raise click.BadParameter(f"no such file: {query_file}", param_hint="--file")
        return NamedQuery.from_file(query_file)
    return NamedQuery.from_text(sparql_text or "", name="sparql")


#: how a SPARQL query text may begin (a comment, a prologue or a query form)
#: (a keyword then a space, a brace or a star: a name such as ask-icesco is not one)
_SPARQL_START = re.compile(r"\s*(#|(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)[\s{*])",
                           re.IGNORECASE)


class _QueryWhileLoading(threading.Thread):
    """A thread, started, that parses and checks the query with kg's guard while the graph
    loads: a first load spends most of its time inside Oxigraph, which lets other threads
    run, so rdflib's grammar (tenths of a second for a text not seen before) runs on the
    other core instead of after the load. A warm-up of the guard's caches
    (:func:`kg.sparql_guard.prepare_cached`): the command itself parses the query after
    the load (from those caches then) and reports any problem as before; and the load
    learns from it whether the query may read the keys a load derives last
    (:meth:`reads_keys`), which it need not derive for a query that reads none."""

    def __init__(self, text: str) -> None:
        super().__init__(name="kg-parse-query", daemon=True)
        self.text = text
        #: the predicates the query reads (``None``: any, or the query could not be read)
        self.predicates: Any = None
        self.start()

    def run(self) -> None:
        from .sparql_guard import prepare_cached

        # any problem: the command meets it (and reports it) after the load
        with contextlib.suppress(Exception):
            self.predicates = prepare_cached(self.text, ()).predicates

    def reads_keys(self) -> bool:
        """Whether the query may read a key a load derives (:func:`kg.load.reads_keys`):
        asked by the load once the files are read and entailed (waiting for the parse)."""
        from .load import reads_keys

        self.join()
        return reads_keys(self.predicates)


def query_job(graph: Any, named: Any, bindings: dict[str, Any],
              output_format: str | None) -> tuple[bytes, list[dict[str, Any]]]:
    """The job ``kg query`` runs bounded: the serialized result and any warnings."""
    from .sparql_guard import QueryKind

    result = named.run_bound(graph, bindings)
    chosen = output_format or ("turtle" if result.kind in (QueryKind.CONSTRUCT,
                                                            QueryKind.DESCRIBE) else "table")
    warnings: list[dict[str, Any]] = []
    if not result.rows:  # only an empty answer looks for a mistyped IRI
        from .suggest import unknown_iris

        warnings = unknown_iris(graph, named, bindings)
    return result.serialize(chosen, pretty=True), warnings


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
@click.option("--max-elements", type=click.IntRange(min=1), default=MAX_DRAWN,
              show_default=True,
              help="Most nodes and edges together that the explorer draws at once; a "
              "larger graph is drawn in part, from the entities one looks for.")
@click.option("--max-neighbours", type=click.IntRange(min=1), default=MAX_NEIGHBOURS,
              show_default=True,
              help="Most entities a neighbourhood gives: past it, the nearest and most "
              "connected, and how many there are.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes that run queries [default: two per core, plus one].")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Requests served at once [default: twice the workers].")
@click.option("--read-timeout", type=click.FloatRange(min=0.1), default=30.0,
              show_default=True,
              help="Seconds a client may take to send its request; then it is cut off.")
@click.option("--build", "build_folder", type=click.Path(path_type=Path), default=None,
              help="Serve a folder written by kg build (checked against its manifest) "
              "instead of loading the data files.")
@store_option
@cache_option
@reports_errors
def serve_command(host: str, port: int, project: Path | None, use_bundled: bool,
                  data: Path | None,
                  ontology: Path | None, shapes: Path | None, timeout: float, max_rows: int,
                  max_body: int, max_elements: int, max_neighbours: int, workers: int | None,
                  threads: int | None,
                  read_timeout: float, build_folder: Path | None, store: str,
                  no_cache: bool) -> None:
    """Serve the graph: the explorer, a read-only SPARQL endpoint, named queries, a query page.

    Runs under waitress (a production WSGI server), starts the worker processes that run
    queries, prints the URL, then logs one line per request. Each query is stopped after
    --timeout seconds (its worker is replaced; the others keep serving). Data files are
    loaded through the cache of loaded stores, the network projection kept beside: a
    second start on unchanged files reopens both (--no-cache: load again, keep nothing).

    \b
    Examples:
      kg serve
      kg serve --port 8080 --data my-data/ --timeout 5 --workers 8
      kg build --out build && kg serve --build build
      kg build --out build --store-dir build/oxigraph && kg serve --store oxigraph:build/oxigraph
      kg serve --store sparql+http://127.0.0.1:7878/query
      curl 'http://127.0.0.1:8000/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205'
    """
    import logging
    import signal

    from waitress.server import create_server

    from .execute import default_workers, start_fork_server
    from .listen import AddressError, bound_sockets
    from .store import BACKENDS
    from .web import create_app

    # the address first: a port in use or a host that is not this machine's is told at once
    try:
        sockets = bound_sockets(host, port)
    except AddressError as error:
        raise click.BadParameter(str(error), param_hint=error.option) from None
    click.get_current_context().call_on_close(lambda: [s.close() for s in sockets])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # the workers' modules import meanwhile, on another core; with a store folder, the
    # fork server also loads the projection kg build saved there, once for every worker
    start_fork_server(**_projection_preload(store))
    # waitress warns "Task queue depth" whenever a request waits for a thread; the access
    # log already shows how long each request took
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    workers = workers or default_workers()
    project = _project(project, use_bundled, err=False, data=data, ontology=ontology,
                       store=store, build=build_folder)
    if build_folder is not None:
        if data or ontology:
            raise click.UsageError("--build serves a build as it is: give no --data or "
                                   "--ontology with it")
        if store not in BACKENDS:
            raise click.UsageError(f"--build loads the build's kg.nq into --store oxigraph or "
                                   f"rdflib: give no --store {store} with it")
        from .build import open_build

        graph = open_build(build_folder, project=project, store=store)
    else:
        from .remote_store import SERVER_READ_TIMEOUT

        # the server's own reads of a remote store (the projection, at start) are no user's
        # query: --timeout bounds those in their workers, whatever a request's own bound
        graph = _graph_for(project, data, ontology, store, cache=not no_cache,
                           timeout=max(timeout, SERVER_READ_TIMEOUT))
    with _cache_notes():  # the projection kept beside a cached store, rebuilt
        app = create_app({"GRAPH": graph, "QUERY_TIMEOUT": timeout, "MAX_ROWS": max_rows,
                          "MAX_BODY": max_body, "MAX_ELEMENTS": max_elements,
                          "MAX_NEIGHBOURS": max_neighbours,
                          "WORKERS": workers, "WAIT_FOR_WORKERS": True, "READY_WORKERS": 0,
                          "ACCESS_LOG": True})
    # waitress reads a body whole before the application sees it; its own cap is set
    # well above --max-body so that an oversized body is read and answered with a 413
    # by the application (waitress would close the connection mid-upload instead)
    server = create_server(app, sockets=sockets, threads=threads or 2 * workers,
                           max_request_body_size=max_body + 16 * 1024 ** 2,
                           channel_timeout=read_timeout,
                           cleanup_interval=max(0.5, min(30.0, read_timeout / 2)),
                           ident="kg")
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sockets[0].getsockname()[1]}/"
    click.echo(f"kg: serving {url} (SPARQL endpoint {url}sparql) with {workers} query "
               f"workers; press Ctrl+C to stop", nl=True)
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the workers on the way out
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["kg"].close()


def _projection_preload(store: str) -> dict[str, Any]:
    """What :func:`kg.execute.start_fork_server` needs to load the projection saved in the
    store folder of ``--store oxigraph:DIR`` (nothing for another store, or a folder
    without one): each worker checks that it is its graph's before using it."""
    from .analysis import snapshot

    backend, _, folder = store.partition(":")
    saved = Path(folder) / snapshot.FILE_NAME if backend == "oxigraph" and folder else None
    if saved is None or not saved.is_file():
        return {}
    return {"preload": ["kg.analysis.preload"],
            "environment": {snapshot.PRELOAD_VARIABLE: str(saved.resolve())}}


# ---------------------------------------------------------------- relationship analysis


class _When(click.ParamType):
    """A date as the analysis takes it (YYYY-MM-DD, YYYY-MM or YYYY), checked where the
    option is read, so the error names the option (``--as-of``, not ``as_of``); the text
    is passed on as it is."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        from .analysis.timefilter import Span

        try:
            Span.parse(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", param, ctx)
        return value


WHEN = _When()

#: the help of --type, on every command that filters the projection
_TYPE_HELP = "Keep only nodes of this class: Person, kg:Person or its IRI (repeatable)."


def analysis_options(command: F) -> F:
    """The filters every analysis command takes, the data options, and --timeout."""
    for option in reversed([
        click.option("--view", type=click.Choice(["actors", "full"]), default="actors",
                     show_default=True, help="actors: relationships as edges; full: every "
                     "resource, relationship nodes kept."),
        click.option("--as-of", "as_of", type=WHEN, metavar="DATE", default=None,
                     help="Only what held on DATE (YYYY-MM-DD, YYYY-MM or YYYY)."),
        click.option("--reported-by", "reported_by", type=WHEN, metavar="DATE", default=None,
                     help="Only what articles issued on or before DATE state."),
        click.option("--source", metavar="ARTICLE", default=None,
                     help="Only what one article states (its IRI or identifier)."),
        click.option("--type", "node_types", multiple=True, metavar="CLASS",
                     help=_TYPE_HELP),
    ]):
        command = option(command)
    return reading_options(command)


def reading_options(command: F) -> F:
    """What every command reading the graph takes: --timeout, --format, the data options."""
    for option in reversed([
        timeout_option,
        click.option("--format", "output_format", type=click.Choice(["text", "json"]),
                     default="text", show_default=True, help="Readable text or JSON."),
        store_option,
        cache_option,
    ]):
        command = option(command)
    return source_options(command)


def _run_analysis(options: dict[str, Any], job: Callable[..., Any], *args: Any) -> Any:
    """Run ``job(graph, *args, filters)`` bounded by --timeout; errors exit as usual."""
    from .analysis.projection import use_saved
    from .execute import Limits, run_job

    data, ontology = options.pop("data"), options.pop("ontology")
    project = _project(options.pop("project"), options.pop("use_bundled"), err=True,
                       data=data, ontology=ontology, store=options["store"])
    timeout = options.pop("timeout")
    graph = _graph_for(project, data, ontology, options.pop("store"),
                       cache=not options.pop("no_cache"), timeout=timeout)
    # the projection kg build, a server or an earlier command saved, read rather than
    # every fact again; else, for a store with a place in the cache, read once and kept
    # (here, before the worker is forked: outside --timeout, and the worker inherits it)
    with _cache_notes():
        use_saved(graph, before_keeping=lambda: click.echo(
            "kg: reading the graph's network projection once and keeping it in the cache "
            "for the next commands (--timeout bounds the analysis, not this)", err=True))
    options.pop("shapes", None)
    options.pop("output_format")
    options["node_types"] = list(options.get("node_types") or ())
    return run_job(graph, job, *args, limits=Limits(timeout=timeout))


@contextlib.contextmanager
def _when_stopped(hint: str | None) -> Iterator[None]:
    """Within the block, a command stopped at its time limit also says ``hint`` (what
    answers sooner), when there is one."""
    try:
        yield
    except QueryTimeout as error:
        if hint is None:
            raise
        raise QueryTimeout(f"{error} ({hint})") from None


def _more(table: dict[str, Any]) -> None:
    """Say on stderr (stdout is the rows) when a table's rows are the first of more."""
    if table["total"] > table["count"]:
        click.echo(f"kg: the first {table['count']} rows of {table['total']} (--limit)",
                   err=True)


def _echo_json(document: Any) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def _edge_lines(edge: dict[str, Any], indent: str) -> list[str]:
    lines = []
    dates = dates_text(edge["dates"], edge["sources"])
    flags = [f for f in (dates, "reported" if edge["validity"] == "reported" else "",
                         "contradiction" if edge["contradiction"] else "") if f]
    lines.append(f"{indent}{edge['label']}" + (f" [{'; '.join(flags)}]" if flags else ""))
    for source in edge["sources"]:
        lines.append(f"{indent}  {source['label']} ({source['issued']}) <{source['article']}>")
        for quote in source["quotes"]:
            lines.append(f"{indent}    \"{quote}\"")
    if not edge["sources"]:
        lines.append(f"{indent}  (stated in no article)")
    return lines


@cli.command(name="search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1, max=100), default=10, show_default=True,
              help="Most entities to list.")
@analysis_options
@reports_errors
def search_command(text: str, limit: int, **options: Any) -> None:
    """Find entities by name: fuzzy, ranked, ignoring case, accents, hyphens and spaces.

    \b
    Examples:
      kg search "Al Malik"
      kg search icesco --format json
    """
    from .analysis.jobs import search_job

    fmt = options["output_format"]
    result = _run_analysis(options, search_job, {"text": text, "limit": limit, **_f(options)})
    if fmt == "json":
        return _echo_json(result)
    for match in result["results"]:
        click.echo(f"{match['score']:5.1f}  {match['label']}  ({match['kind']}) <{match['iri']}>"
                   + (f"  matched {match['matched']!r}" if match["matched"] != match["label"]
                      else ""))
    if not result["results"]:
        shown = text if len(text) <= 60 else text[:57] + "..."
        click.echo(f"kg search: nothing matches {shown!r}")


def _f(options: dict[str, Any]) -> dict[str, Any]:
    """The filter options, as the analysis functions name them."""
    return {k: options[k] for k in ("view", "as_of", "reported_by", "source")} | {
        "node_types": list(options.get("node_types") or ())}


@cli.command(name="neighbors")
@click.argument("entity")
@click.option("--radius", type=click.IntRange(min=0, max=5), default=1, show_default=True,
              help="How many hops away (0-5).")
@analysis_options
@reports_errors
def neighbors_command(entity: str, radius: int, **options: Any) -> None:
    """The entities within --radius hops of ENTITY, and the edges among them with sources.

    ENTITY is a label, an alternative label or an IRI; an ambiguous or unknown name lists
    the candidates (exit 2).

    \b
    Examples:
      kg neighbors "Leyla Aliyeva"
      kg neighbors kgr:icesco --radius 2 --as-of 2005-01-01
    """
    from .analysis.jobs import neighbors_job

    fmt = options["output_format"]
    result = _run_analysis(options, neighbors_job,
                           {"entity": entity, "radius": radius, **_f(options)})
    if fmt == "json":
        return _echo_json(result)
    if result["absent"]:
        from .analysis.model import absent_text

        click.echo(f"kg neighbors: {absent_text(result['absent'])}")
        return
    if result["reached"] > len(result["nodes"]):
        click.echo(f"kg: the {len(result['nodes'])} nearest, most connected of the "
                   f"{result['reached']} entities --radius {radius} reaches", err=True)
    for node in result["nodes"]:
        click.echo(f"{node['distance']}  {node['label']}  ({node['kind']}) <{node['iri']}>")
    click.echo("edges:" if result["edges"] else "edges: none")
    for edge in result["edges"]:
        click.echo(f"  {edge['source_label']} --> {edge['target_label']}")
        for line in _edge_lines(edge, "    "):
            click.echo(line)


@cli.command(name="path")
@click.argument("start")
@click.argument("end")
@click.option("--max-hops", type=click.IntRange(min=1, max=6), default=4, show_default=True,
              help="Longest path to consider (1-6 hops).")
@click.option("--limit", type=click.IntRange(min=1, max=50), default=3, show_default=True,
              help="Most paths to print, best first.")
@click.option("--shortest", is_flag=True, help="Only the shortest paths.")
@analysis_options
@reports_errors
def path_command(start: str, end: str, max_hops: int, limit: int, shortest: bool,
                 **options: Any) -> None:
    """How START is connected to END: each hop with its label, dates, articles and quotes.

    Paths are ranked: fewer hops, then more sources, then fewer inferred dates. When
    there is none, it says why: an end the filters leave out, nothing connecting the two,
    or a shortest connection of more than --max-hops hops (and how many it has).

    \b
    Examples:
      kg path "Leyla Aliyeva" "Burkina Faso"
      kg path "Salim bin Mohammed Almalik" "Leyla Aliyeva" --max-hops 3
      kg path kgr:leyla-aliyeva kgr:burkina-faso --reported-by 2024-06-01
    """
    from .analysis.jobs import paths_job
    from .analysis.model import hop_text, no_path_text

    fmt = options["output_format"]
    result = _run_analysis(options, paths_job, {"start": start, "end": end,
                                                "max_hops": max_hops, "limit": limit,
                                                "shortest": shortest, **_f(options)})
    if fmt == "json":
        return _echo_json(result)
    if not result["paths"]:
        click.echo(f"kg path: {no_path_text(result, option='--max-hops')}")
        return
    for number, path in enumerate(result["paths"], 1):
        click.echo(f"path {number}: {counted(path['length'], 'hop')}, "
                   f"{counted(path['sources'], 'source')}, "
                   f"{counted(path['inferred'], 'inferred date')}")
        for step, hop in enumerate(path["hops"], 1):
            click.echo(f"  {step}. {hop_text(hop)}")
            for edge in hop["edges"]:
                for line in _edge_lines(edge, "       "):
                    click.echo(line)


@cli.command(name="centrality")
@click.option("--by", type=click.Choice(["degree", "betweenness", "pagerank"]),
              default="betweenness", show_default=True, help="Sort by this measure.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Most nodes to list.")
@click.option("--engine", type=click.Choice(["auto", "networkx", "igraph"]), default="auto",
              show_default=True, help="Computes betweenness: networkx (the reference), "
              "igraph (fast, same figures), auto (igraph on large graphs).")
@analysis_options
@reports_errors
def centrality_command(by: str, limit: int, engine: str, **options: Any) -> None:
    """Degree, betweenness and PageRank of each entity, highest first.

    Exact betweenness grows with nodes x edges (minutes at 10,000 articles): the whole
    graph's measures, once computed, are kept with its projection in the cache (or for
    its store folder) and read by the next commands, servers and notebooks.

    \b
    Examples:
      kg centrality
      kg centrality --by pagerank --type Person --limit 5
    """
    from .analysis.jobs import centrality_job

    fmt = options["output_format"]
    filters = _f(options)
    whole = filters == _f({"view": "actors", "as_of": None, "reported_by": None,
                           "source": None})
    hint = ("exact betweenness of a large graph takes minutes: --by degree or --by pagerank "
            "answers without it" + ("; computed once, the whole graph's is kept for the "
                                    "next commands" if whole else ""))
    with _when_stopped(hint if by == "betweenness" else None):
        result = _run_analysis(options, centrality_job, {"by": by, "limit": limit,
                                                         "engine": engine, **filters})
    if fmt == "json":
        return _echo_json(result)
    if any(row["betweenness"] is None for row in result["rows"]):
        click.echo("kg: betweenness (-) is not computed on a graph this large unless asked "
                   "for: --by betweenness", err=True)
    click.echo(f"{'degree':>6}  {'betweenness':>11}  {'pagerank':>8}  entity")
    for row in result["rows"]:
        between = "-" if row["betweenness"] is None else f"{row['betweenness']:.4f}"
        click.echo(f"{row['degree']:>6}  {between:>11}  {row['pagerank']:>8.4f}"
                   f"  {row['label']} ({row['kind']})")


#: the members a group lists in text unless --members says otherwise
TEXT_MEMBERS = 20
#: groups of one at the end of a text list, from this many, are said in one line
LONE_LINE = 3
#: what an empty answer of each kind of kg communities means
_NO_GROUPS = {"louvain": "no communities: no entity in the graph with these filters",
              "components": "no components: no entity in the graph with these filters",
              "brokers": "no brokers: no entity or link whose removal splits a part of the "
                         "graph",
              "coaffiliation": "no co-affiliation pairs: no two people share an "
                               "organization, nor two organizations a person or an agreement"}


@cli.command(name="communities")
@click.option("--kind", type=click.Choice(COMMUNITY_KINDS), default="louvain",
              show_default=True, help="Louvain communities (seeded), connected components, "
              "brokers (articulation points, bridges) or co-affiliation pairs.")
@click.option("--via", metavar="ENTITY", default=None,
              help="With --kind coaffiliation: only pairs tied through this entity.")
@click.option("--engine", type=click.Choice(["auto", "networkx", "igraph"]), default="auto",
              show_default=True, help="Runs Louvain: networkx (the reference), igraph "
              "(fast, a partition of the same quality), auto (igraph on large graphs).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="The first N rows only, largest groups first (every one when not given).")
@click.option("--members", type=click.IntRange(min=1), default=None,
              help="With --kind louvain or components: list at most N members of each "
              f"group, its most connected (when not given: {TEXT_MEMBERS} in text, every "
              "one in JSON).")
@analysis_options
@reports_errors
def communities_command(kind: str, via: str | None, engine: str, limit: int | None,
                        members: int | None, **options: Any) -> None:
    """Groups in the network: communities, components, brokers, co-affiliation.

    \b
    Examples:
      kg communities
      kg communities --kind coaffiliation --via "Heydar Aliyev Foundation"
      kg communities --kind brokers
    """
    from .analysis.jobs import communities_job

    if via is not None and kind != "coaffiliation":  # told before the load
        raise click.BadOptionUsage("via", "--via keeps the co-affiliation pairs through one "
                                   f"entity: it goes with --kind coaffiliation, not {kind}")
    if members is not None and kind not in GROUP_KINDS:
        raise click.BadOptionUsage("members", "--members cuts the member lists of groups: it "
                                   f"goes with --kind louvain or components, not {kind}")
    fmt = options["output_format"]
    if members is None and fmt == "text" and kind in GROUP_KINDS:
        members = TEXT_MEMBERS  # a line of 40,000 names (10,000 articles) is read by nobody
    result = _run_analysis(options, communities_job, {"kind": kind, "via": via,
                                                      "engine": engine, "limit": limit,
                                                      "members": members, **_f(options)})
    if fmt == "json":
        return _echo_json(result)
    if not result["rows"]:
        click.echo("kg communities: " + (f"no co-affiliation pairs through {via}" if via
                                         else _NO_GROUPS[kind]))
        return
    _more(result)
    rows = result["rows"]
    alone: list[dict[str, Any]] = []
    if kind in GROUP_KINDS:  # (largest first: the groups of one close the list)
        while rows and rows[-1]["size"] == 1:
            alone.insert(0, rows.pop())
        if len(alone) < LONE_LINE:
            rows, alone = rows + alone, []
    for row in rows:
        if kind in GROUP_KINDS:
            unlisted = row["size"] - len(row["labels"])
            click.echo(f"{row.get('community', row.get('component'))}. ({row['size']}) "
                       + "; ".join(row["labels"])
                       + (f"; and {unlisted} more" if unlisted else ""))
        elif kind == "brokers":
            other = f" -- {row['other_label']}" if row["other"] else ""
            click.echo(f"{row['broker']}: {row['label']}{other}")
        else:
            click.echo(f"{row['first_label']} ({row['first_relation']}) & {row['second_label']}"
                       f" ({row['second_relation']}) via {row['via_label']}")
    if alone:  # thousands of lines of one name each are read by nobody
        number = lambda row: row.get("community", row.get("component"))  # noqa: E731
        shown = [row["labels"][0] for row in alone[:members or len(alone)]]
        what = ("entities linked to no other" if kind == "components"
                else "communities of one entity")
        click.echo(f"{number(alone[0])}-{number(alone[-1])}. (1 each) {len(alone):,} "
                   f"{what}: " + "; ".join(shown)
                   + (f"; and {len(alone) - len(shown):,} more (--format json lists them)"
                      if len(alone) > len(shown) else ""))


@cli.command(name="timeline")
@click.option("--entity", metavar="ENTITY", default=None, help="Only what involves it.")
@click.option("--start", type=WHEN, metavar="DATE", default=None,
              help="From (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--end", type=WHEN, metavar="DATE", default=None,
              help="Up to (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--years", is_flag=True, default=False,
              help="One line per year: how many dated facts, how many inferred.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="The first N rows only (every one when not given).")
@analysis_options
@reports_errors
def timeline_command(entity: str | None, start: str | None, end: str | None, years: bool,
                     limit: int | None, **options: Any) -> None:
    """Dated relationships, events and publications in date order; imprecise dates keep
    their precision ("2024-11", "1991") and inferred dates are marked.

    \b
    Examples:
      kg timeline --start 2024-10 --end 2024-10
      kg timeline --entity "Mehriban Aliyeva"
      kg timeline --years
    """
    from .analysis.jobs import timeline_job

    fmt = options["output_format"]
    result = _run_analysis(options, timeline_job, {"entity": entity, "start": start,
                                                   "end": end, "years": years,
                                                   "limit": limit, **_f(options)})
    if fmt == "json":
        return _echo_json(result)
    _more(result)
    if not result["rows"]:
        click.echo("(no dated facts)")
    if years:
        for row in result["rows"]:
            click.echo(f"{row['year']}  {counted(row['count'], 'dated fact')}"
                       + (f" ({row['inferred']} inferred)" if row["inferred"] else ""))
        return
    for row in result["rows"]:
        mark = " (inferred)" if row["inferred"] else ""
        click.echo(f"{row['date']:<10}{mark:<11} {row['label']}")
        for line in _timeline_details(row):
            click.echo(f"{'':<22}  {line}")


#: the articles a timeline's text names for one fact; past them, how many more
_CITED = 3


def _timeline_details(row: dict[str, Any]) -> list[str]:
    """Under a line of the timeline in text: the articles that state it (not for an
    article's own publication) and, for an inferred date, why it was inferred."""
    sources = [s for s in row["sources"] if s != row["item"]]
    lines = []
    if sources:
        more = len(sources) - _CITED
        lines.append("stated in " + ", ".join(f"<{s}>" for s in sources[:_CITED])
                     + (f" and {more} more" if more > 0 else ""))
    if row["inferred"] and row["note"]:
        lines.append(f"inferred: {row['note']}")
    return lines


@cli.command(name="sources")
@click.argument("words", nargs=-1)
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many articles (every one when not given).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip this many of them first.")
@reading_options
@reports_errors
def sources_command(words: tuple[str, ...], limit: int | None, offset: int,
                    **options: Any) -> None:
    """The source articles, oldest first: issue date, label, IRI. WORDS keep the
    articles with each of them at the start of a word of their id, label, publisher or
    date (case and accents aside).

    \b
    Examples:
      kg sources
      kg sources trend 2024-10
      kg sources caspian 2015 --limit 20 --format json
    """
    from .analysis.jobs import articles_job

    fmt = options["output_format"]
    text = " ".join(words).strip() or None
    result = _run_analysis(options, articles_job, text, limit, offset)
    if fmt == "json":
        return _echo_json(result)
    for article in result["articles"]:
        click.echo(f"{article['issued'] or '(no date)':<10}  {article['label']}  "
                   f"<{article['article']}>")
    shown, matched = len(result["articles"]), result["matched"]
    if text and not matched:  # (on stderr, as the page's count: stdout is the articles)
        click.echo(f"kg sources: no article has the words {text!r} "
                   f"({counted(result['total'], 'article')} in all)", err=True)
    elif shown < matched:
        click.echo(f"kg sources: {shown} of {matched}, more with --offset {offset + shown}"
                   if shown else f"kg sources: none past --offset {offset}, {matched} in all",
                   err=True)


@cli.command(name="article")
@click.argument("name")
@reading_options
@reports_errors
def article_command(name: str, **options: Any) -> None:
    """One source article (NAME: its id, src: CURIE or IRI): what it states, each fact with
    the article's words (its text with --format json).

    \b
    Examples:
      kg article 001_9e02c3f3c2711bf1
      kg article src:000_b2925a6198033b1b --format json
    """
    from .analysis.jobs import article_job

    fmt = options["output_format"]
    found = _run_analysis(options, article_job, name)
    if fmt == "json":
        return _echo_json(found)
    click.echo(f"{found['label']}  <{found['article']}>")
    click.echo(f"{found['publisher_label'] or found['publisher'] or '(no publisher)'}, "
               f"{found['issued'] or '(no date)'}")
    click.echo(f"{counted(len(found['facts']), 'fact')} stated:")
    for fact in found["facts"]:
        click.echo(f"  {fact['label']}  <{fact['fact']}>")
        for quote in fact["quotes"]:
            click.echo(f'    "{quote}"')


@cli.command(name="export")
@click.option("--format", "export_format", type=click.Choice(["graphml", "gexf", "cytoscape",
                                                               "csv"]), required=True,
              help="GraphML, GEXF (with start/end for Gephi's timeline), Cytoscape.js JSON, "
              "or CSV (nodes.csv and edges.csv).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="File to write (for csv: a folder for nodes.csv and edges.csv); "
              "default: standard output.")
@click.option("--view", type=click.Choice(["actors", "full"]), default="actors",
              show_default=True, help="actors or full.")
@click.option("--as-of", "as_of", type=WHEN, metavar="DATE", default=None,
              help="Only what held then.")
@click.option("--reported-by", "reported_by", type=WHEN, metavar="DATE", default=None,
              help="Only what articles issued by then state.")
@click.option("--source", metavar="ARTICLE", default=None, help="Only what one article states.")
@click.option("--type", "node_types", multiple=True, metavar="CLASS",
              help=_TYPE_HELP)
@click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
              help="Only the N most connected nodes (the most distinct neighbours; ties by "
              "label, then IRI) and the edges among them: an overview of a large graph.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds the export may take.")
@source_options
@store_option
@cache_option
@reports_errors
def export_command(export_format: str, out: Path | None, **options: Any) -> None:
    """Export the projection with every attribute, sources and quotes included (lists
    are JSON text in GraphML, GEXF and CSV).

    \b
    Examples:
      kg export --view actors --format graphml --out actors.graphml
      kg export --format gexf --out kg.gexf
      kg export --format csv --out export/
      kg export --format gexf --top 200 --out hubs.gexf
    """
    from .analysis.jobs import export_job
    from .atomic import write_file
    from .errors import InputError

    options["output_format"] = None
    top = options.pop("top")
    with _when_stopped(None if top else "a large graph takes a while to write: --top N "
                       "exports its N most connected nodes and the links among them"):
        files = _run_analysis(options, export_job, _f(options), export_format, top)
    if out is None:
        for index, (name, body) in enumerate(files.items()):
            if len(files) > 1:
                click.echo(("\n" if index else "") + f"# {name}")
            click.echo(body.decode("utf-8"), nl=False)
        return
    if len(files) > 1:
        if out.exists() and not out.is_dir():
            raise InputError(f"--out {out}: for csv, give a folder (nodes.csv, edges.csv)")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"--out {out}: cannot make the folder: "
                             f"{error.strerror or error}") from None
        for name, body in files.items():
            write_file(out / name, body)
        click.echo(f"wrote {', '.join(str(out / n) for n in files)}")
        return
    if out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name")
    try:  # (a missing folder made, as for csv and kg build --out)
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"--out {out}: cannot make the folder {out.parent}: "
                         f"{error.strerror or error}; nothing was written") from None
    write_file(out, next(iter(files.values())))  # (in one step: an error changes nothing)
    click.echo(f"wrote {out}")


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
