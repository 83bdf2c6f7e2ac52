"""A synthetic corpus in kg's own model: deterministic, valid, as large as asked.

:func:`synth` writes what an analyst's ``data/`` folder holds, for ``articles`` made-up
news articles: one TriG file per article (its named graph, with its ``kg:NewsArticle``
self-description), the article's text in ``sources/``, shared ``entities.ttl`` and
``vocabulary.ttl``. Every ``kg:quote`` is a sentence of the generated text, copied
verbatim. The corpus exercises the model the way real reporting does:

* posts held over time, with start dates at day, month or year precision, restated by
  later articles (the same post node, described again with that article's quote);
* agreements between two organizations (memoranda with fields, cooperation agreements
  for a project), signed by people who hold posts at the parties, their date worked out
  from the day of the report (``kg:inferredProperty kg:date`` with a note);
* projects, meetings and visits (a meeting ``kg:partOf`` a visit), state memberships;
* name variants (``skos:altLabel``) quoted where an article spells a name differently.

The same ``seed`` gives the same bytes. ``violations`` injects a known set of mistakes,
one of each kind in :data:`VIOLATION_KINDS` in turn; :attr:`Corpus.expected` lists what
``kg validate`` must then report, as ``(rule, focus IRI)`` pairs.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     corpus = synth(articles=3, seed=1, out=folder)
>>> len(corpus.articles), corpus.expected
(3, [])
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .errors import InputError
from .texts import FOLDER, text_path

__all__ = ["Corpus", "MARKER", "synth", "VIOLATION_KINDS"]

#: the file that marks a folder kg synth wrote, the only kind it replaces (a data folder
#: of curated articles holds the same kinds of files: it is never taken for one)
MARKER = ".kg-synth"

_KG = "https://w3id.org/kg/ontology#"
_KGR = "https://w3id.org/kg/id/"
_SRC = "https://w3id.org/kg/source/"

_PREFIXES = """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgr: <https://w3id.org/kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix src: <https://w3id.org/kg/source/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

#: the mistakes ``violations`` injects, in turn, with the rule ``kg validate`` reports
VIOLATION_KINDS: tuple[tuple[str, str], ...] = (
    ("quote-not-in-text", "kg:quote-not-in-source"),
    ("one-party", "kgsh:Agreement-party"),
    ("signed-for-non-party", "kgsh:SignatoryActsForPartyShape"),
    ("end-before-start", "kgsh:StartNotAfterEndShape"),
    ("inferred-without-note", "kgsh:InferredValueHasNoteShape"),
    ("fact-without-source", "kgsh:Fact-statedIn"),
)

_FIRST = ["Amina", "Bakhtiyar", "Carmen", "Dmitri", "Elif", "Farid", "Grace", "Hassan",
          "Ines", "Jamal", "Kemal", "Leila", "Marta", "Nadir", "Olga", "Pedro", "Rana",
          "Samir", "Tamara", "Umar", "Vera", "Walid", "Yasmin", "Zaur"]
_LAST = ["Abbasova", "Bennani", "Chaudhry", "Demirci", "Elbaz", "Farouk", "Guliyev",
         "Haddad", "Ibrahimov", "Jafarli", "Karimov", "Lahlou", "Mammadov", "Nasser",
         "Osmanov", "Petrova", "Qasimov", "Rahimi", "Salimov", "Tahiri", "Usmanov",
         "Valiyev", "Yusuf", "Zeynalova"]
_COUNTRIES = ["Azerbaijan", "Morocco", "Egypt", "Jordan", "Kazakhstan", "Uzbekistan",
              "Senegal", "Indonesia", "Malaysia", "Tunisia", "Oman", "Qatar", "Turkey",
              "Pakistan", "Nigeria", "Mali", "Niger", "Chad", "Gambia", "Guinea",
              "Kuwait", "Bahrain", "Lebanon", "Albania", "Bangladesh", "Brunei",
              "Cameroon", "Djibouti", "Gabon", "Kyrgyzstan", "Maldives", "Somalia"]
_CITY_PARTS = ["Al", "Bel", "Car", "Dar", "Es", "Fal", "Gar", "Hal", "Is", "Kal", "Mar",
               "Nur", "Or", "Sal", "Tar", "Zan"]
_CITY_ENDS = ["abad", "ville", "pur", "grad", "kent", "oum", "ara", "ina", "ez", "an"]
_ORG_KINDS = [("Foundation", "Foundation"), ("IntergovernmentalOrganization", "Organization"),
              ("PublicUnion", "Public Union")]
_ORG_WORDS = ["Heritage", "Dialogue", "Education", "Science", "Culture", "Youth", "Water",
              "Health", "Development", "Solidarity", "Knowledge", "Future", "Green",
              "Silk Road", "Crescent", "Horizon"]
_ROLES = [("president", "President", "The head of an organization or state."),
          ("vice-president", "Vice President", "The deputy of the head of an organization."),
          ("executive-director", "Executive Director",
           "The officer who runs an organization's day-to-day work."),
          ("director-general", "Director-General",
           "The chief executive of an intergovernmental organization."),
          ("secretary-general", "Secretary-General",
           "The chief administrative officer of an organization."),
          ("chair", "Chair", "The person who presides over an organization's board.")]
_FIELDS = [("culture", "culture"), ("education", "education"), ("science", "science"),
           ("health", "health"), ("new-technologies", "new technologies"),
           ("environmental-protection", "environmental protection"),
           ("youth", "youth"), ("water", "water management")]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_AGENCIES = ["Trend", "Caspian Wire", "Maghreb Daily", "Silk Road Post"]


@dataclass(frozen=True)
class Corpus:
    """What :func:`synth` wrote: the folder, the article ids, and the expected findings."""

    out: Path
    articles: list[str]
    #: ``(rule, focus IRI)`` of every violation injected, sorted
    expected: list[tuple[str, str]] = field(default_factory=list)


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _spoken(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


@dataclass
class _World:
    """The people, organizations, places and posts the articles report on."""

    countries: list[tuple[str, str]]           # (slug, name)
    cities: list[tuple[str, str, str]]          # (slug, name, country slug)
    orgs: list[tuple[str, str, str]]            # (slug, name, kind)
    people: list[tuple[str, str, str]]          # (slug, name, variant)
    agencies: list[tuple[str, str]]
    #: org slug -> [(post slug, person index, role slug, start literal, start words)]
    posts: dict[str, list[tuple[str, int, str, str, str]]]


def _world(rng: random.Random, articles: int) -> _World:
    n_countries = min(len(_COUNTRIES), 6 + articles // 20)
    countries = [(_slug(name), name) for name in _COUNTRIES[:n_countries]]
    cities, seen = [], set()
    for slug, _ in countries:
        for _ in range(2):
            while True:
                name = rng.choice(_CITY_PARTS) + rng.choice(_CITY_ENDS)
                if name not in seen:
                    break
                name += rng.choice(_CITY_ENDS)
                if name not in seen:
                    break
            seen.add(name)
            cities.append((_slug(name), name, slug))
    n_orgs = max(6, articles // 4)
    orgs, names = [], set()
    for index in range(n_orgs):
        kind, noun = _ORG_KINDS[index % len(_ORG_KINDS)]
        name = f"{rng.choice(_ORG_WORDS)} {noun} of {rng.choice(countries)[1]}"
        if name in names:
            name = f"{name} {index}"
        names.add(name)
        orgs.append((f"org-{index:05d}", name, kind))
    n_people = max(12, articles // 2 + 2 * n_orgs)
    people = []
    for index in range(n_people):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        people.append((f"person-{index:05d}", f"{first} {last}", f"{first[0]}. {last}"))
    agencies = [(_slug(name), name) for name in _AGENCIES]
    posts: dict[str, list[tuple[str, int, str, str, str]]] = {}
    person = 0
    for slug, _, _ in orgs:
        held = []
        for role_index in range(2):
            role = _ROLES[rng.randrange(len(_ROLES))] if role_index else _ROLES[0]
            if role_index and role is _ROLES[0]:
                role = _ROLES[1]
            start = date(2005, 1, 1) + timedelta(days=rng.randrange(3000))
            precision = rng.randrange(3)
            literal, words = (
                (f'"{start.isoformat()}"^^xsd:date', _spoken(start)),
                (f'"{start.year:04d}-{start.month:02d}"^^xsd:gYearMonth',
                 f"{_MONTHS[start.month - 1]} {start.year}"),
                (f'"{start.year:04d}"^^xsd:gYear', str(start.year)))[precision]
            held.append((f"post-{person:05d}-{slug}-{role[0]}", person % n_people, role[0],
                         literal, words))
            person += 1
        posts[slug] = held
    return _World(countries, cities, orgs, people, agencies, posts)


def _entities(world: _World) -> str:
    out = [_PREFIXES]
    for slug, name in world.countries:
        out.append(f"kgr:{slug} a kg:Country, kg:State ;\n    rdfs:label {_lit(name)}@en .\n")
    for slug, name, country in world.cities:
        out.append(f"kgr:{slug} a kg:City ;\n    rdfs:label {_lit(name)}@en ;\n"
                   f"    kg:locatedIn kgr:{country} .\n")
    for slug, name, kind in world.orgs:
        out.append(f"kgr:{slug} a kg:{kind} ;\n    rdfs:label {_lit(name)}@en .\n")
    for slug, name, _ in world.people:
        out.append(f"kgr:{slug} a kg:Person ;\n    rdfs:label {_lit(name)}@en .\n")
    for slug, name in world.agencies:
        out.append(f"kgr:{slug} a kg:NewsAgency ;\n    rdfs:label {_lit(name)}@en .\n")
    return "\n".join(out)


def _vocabulary() -> str:
    out = [_PREFIXES]
    for slug, label, definition in _ROLES:
        out.append(f"kgr:role-{slug} a kg:Role ;\n    rdfs:label {_lit(label)}@en ;\n"
                   f"    skos:definition {_lit(definition)}@en ;\n    skos:inScheme kgr:roles .\n")
    for slug, label in _FIELDS:
        out.append(f"kgr:field-{slug} a kg:Field ;\n    rdfs:label {_lit(label)}@en ;\n"
                   f"    skos:definition {_lit('Cooperation in ' + label + '.')}@en ;\n"
                   f"    skos:inScheme kgr:fields .\n")
    out.append('kgr:roles a skos:ConceptScheme ;\n    rdfs:label "Roles"@en ;\n'
               '    rdfs:comment "The kinds of post that people hold."@en .\n')
    out.append('kgr:fields a skos:ConceptScheme ;\n    rdfs:label "Fields"@en ;\n'
               '    rdfs:comment "Fields of cooperation named by agreements."@en .\n')
    return "\n".join(out)


class _Article:
    """One article being written: its sentences and the descriptions of its graph."""

    def __init__(self, ident: str) -> None:
        self.ident = ident
        self.sentences: list[str] = []
        self.nodes: list[str] = []

    def say(self, sentence: str) -> str:
        self.sentences.append(sentence)
        return sentence

    def node(self, subject: str, *lines: str, quotes: list[str],
             stated: bool = True) -> None:
        body = list(lines)
        if stated:
            body.append(f"kg:statedIn src:{self.ident}")
        body.append("kg:quote " + ",\n        ".join(_lit(q) for q in quotes))
        self.nodes.append(f"    {subject} " + " ;\n        ".join(body) + " .\n")

    def trig(self) -> str:
        return f"{_PREFIXES}\nsrc:{self.ident} {{\n" + "\n".join(self.nodes) + "}\n"


def synth(*, articles: int, seed: int = 0, out: Path | str = "synthetic",
          violations: int = 0) -> Corpus:
    """Write a corpus of ``articles`` articles into ``out`` (a data folder: TriG files,
    ``entities.ttl``, ``vocabulary.ttl``, ``sources/``), replacing what a previous run
    wrote there (a folder holding :data:`MARKER`; any other folder that is not empty is
    refused, a project's data among them); the same ``seed`` writes the same files.
    ``violations`` injects that many known mistakes (see :data:`VIOLATION_KINDS`);
    :attr:`Corpus.expected` lists them.
    """
    if articles < 1:
        raise InputError("--articles must be at least 1")
    if violations < 0 or violations > articles:
        raise InputError(f"--violations must be between 0 and the number of articles "
                         f"({articles})")
    out = Path(out)
    if out.exists():
        if not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file()):
            raise InputError(f"{out}: exists and is not a folder kg synth wrote (it has no "
                             f"{MARKER}); choose another --out")
        shutil.rmtree(out)
    (out / FOLDER).mkdir(parents=True)
    (out / MARKER).write_text(f"written by kg synth --articles {articles} --seed {seed} "
                              f"--violations {violations}; kg synth replaces this folder "
                              f"whole\n", encoding="utf-8")
    rng = random.Random(seed)
    world = _world(rng, articles)
    (out / "entities.ttl").write_text(_entities(world), encoding="utf-8")
    (out / "vocabulary.ttl").write_text(_vocabulary(), encoding="utf-8")

    stride = max(1, articles // max(violations, 1))
    injected = {i * stride: VIOLATION_KINDS[i % len(VIOLATION_KINDS)][0]
                for i in range(violations)}
    expected: list[tuple[str, str]] = []
    idents: list[str] = []
    day = date(2015, 1, 5)
    for index in range(articles):
        day += timedelta(days=rng.randrange(0, 3))
        ident = f"{index:06d}_{rng.getrandbits(64):016x}"
        idents.append(ident)
        text, trig, found = _article(rng, world, index, ident, day, injected.get(index))
        expected += found
        text_path(out, ident).write_text(text, encoding="utf-8")
        (out / f"{ident}.trig").write_text(trig, encoding="utf-8")
    return Corpus(out=out, articles=idents, expected=sorted(expected))


def _article(rng: random.Random, world: _World, index: int, ident: str, day: date,
             mistake: str | None) -> tuple[str, str, list[tuple[str, str]]]:
    art = _Article(ident)
    agency_slug, agency = world.agencies[index % len(world.agencies)]
    city_slug, city, country_slug = rng.choice(world.cities)
    country = dict(world.countries)[country_slug]
    first, second = rng.sample(world.orgs, 2)
    posts = [world.posts[first[0]][0], world.posts[second[0]][0]]
    signers = [world.people[p[1]] for p in posts]
    role_labels = {slug: label for slug, label, _ in _ROLES}
    found: list[tuple[str, str]] = []

    dateline = f"{city.upper()}, {country}, {_MONTHS[day.month - 1]} {day.day}"
    art.say(f"{dateline}.")
    memorandum = index % 2 == 0
    kind = "memorandum of cooperation" if memorandum else "cooperation agreement"
    agreement = f"kgr:agreement-{ident}"
    lead = art.say(f"A {kind} has been signed between the {first[1]} and the {second[1]} "
                   f"in {city}, {agency} reports.")

    # the posts of the two signatories, with their start dates
    for (post, person, role, start, start_words), org, signer in zip(posts, (first, second),
                                                                      signers):
        title = f"{role_labels[role]} of the {org[1]}"
        quote = art.say(f"{signer[1]}, {title} since {start_words}, signed the document.")
        art.node(f"kgr:{post}", "a kg:PostHolding",
                 f"rdfs:label {_lit(signer[1] + ', ' + title)}@en",
                 f"kg:holder kgr:{signer[0]}", f"kg:organization kgr:{org[0]}",
                 f"kg:role kgr:role-{role}", f"kg:startDate {start}", quotes=[quote])
    if mistake == "end-before-start":  # a post that never signs: nothing else is touched
        post, person, role, start, start_words = world.posts[first[0]][1]
        holder = world.people[person]
        title = f"{role_labels[role]} of the {first[1]}"
        quote = art.say(f"{holder[1]}, {title} since {start_words}, left the post in 2001.")
        art.node(f"kgr:{post}", "a kg:PostHolding",
                 f"rdfs:label {_lit(holder[1] + ', ' + title)}@en",
                 f"kg:holder kgr:{holder[0]}", f"kg:organization kgr:{first[0]}",
                 f"kg:role kgr:role-{role}", f"kg:startDate {start}",
                 'kg:endDate "2001"^^xsd:gYear', quotes=[quote])
        found.append(("kgsh:StartNotAfterEndShape", _KGR + post))

    # the agreement and its signatures
    parties = [first, second] if mistake != "one-party" else [first]
    if mistake == "one-party":  # the second signature is then for a non-party too
        found += [("kgsh:Agreement-party", _KGR + f"agreement-{ident}"),
                  ("kgsh:SignatoryActsForPartyShape", _KGR + f"signature-{ident}-1")]
    lines = [f"a kg:{'MemorandumOfCooperation' if memorandum else 'CooperationAgreement'}",
             f"rdfs:label {_lit(f'{kind.capitalize()} between the {first[1]} and the {second[1]} ({city}, {day.isoformat()})')}@en",
             f'kg:date "{day.isoformat()}"^^xsd:date',
             "kg:inferredProperty kg:date",
             "kg:party " + ", ".join(f"kgr:{p[0]}" for p in parties),
             f"kg:place kgr:{city_slug}"]
    if mistake != "inferred-without-note":
        lines.append(f"kg:inferenceNote {_lit(f'The article of {_spoken(day)} reports that the agreement has been signed; the signing day is taken to be the day of the report.')}")
    else:
        found.append(("kgsh:InferredValueHasNoteShape", _KGR + f"agreement-{ident}"))
    quotes = [lead]
    if memorandum:
        fields = rng.sample(_FIELDS, rng.randint(1, 3))
        quotes.append(art.say("The memorandum covers cooperation in "
                              + ", ".join(label for _, label in fields) + "."))
        lines.append("kg:field " + ", ".join(f"kgr:field-{slug}" for slug, _ in fields))
    else:
        project = f"kgr:project-{ident}"
        purpose = f"support {rng.choice(_FIELDS)[1]} initiatives in {country}"
        end = date(day.year + 1 + rng.randrange(2), rng.randint(1, 12), 1)
        sentence = art.say(f"The agreement is for a project to {purpose}, which will run "
                           f"until {_MONTHS[end.month - 1]} {end.year}.")
        quotes.append(sentence)
        lines.append(f"kg:forProject {project}")
        art.node(project, "a kg:Project",
                 f"rdfs:label {_lit(f'Project to {purpose}')}@en",
                 f"kg:purpose {_lit(purpose)}", f"kg:locatedIn kgr:{country_slug}",
                 f'kg:endDate "{end.year:04d}-{end.month:02d}"^^xsd:gYearMonth',
                 quotes=[sentence])
    if mistake == "quote-not-in-text":
        quotes.append("words this article never printed")
        found.append(("kg:quote-not-in-source", _KGR + f"agreement-{ident}"))
    art.node(agreement, *lines, quotes=quotes)

    for number, (post, signer, org) in enumerate(zip(posts, signers, (first, second))):
        behalf = org
        if mistake == "signed-for-non-party" and number == 1:
            behalf = next(o for o in world.orgs if o not in (first, second))
            # the signatory holds no post there either
            found += [("kgsh:SignatoryActsForPartyShape", _KGR + f"signature-{ident}-1"),
                      ("kgsh:SignatoryHeldPostShape", _KGR + f"signature-{ident}-1")]
        quote = art.say(f"The document was signed by {role_labels[post[2]]} "
                        f"{signer[1]} on behalf of the {org[1]}.")
        stated = mistake != "fact-without-source" or number == 0
        if not stated:
            found.append(("kgsh:Fact-statedIn", _KGR + f"signature-{ident}-{number}"))
        art.node(f"kgr:signature-{ident}-{number}", "a kg:Signature",
                 f"rdfs:label {_lit(f'{signer[1]} signs for the {org[1]} ({day.isoformat()})')}@en",
                 f"kg:agreement {agreement}", f"kg:signatory kgr:{signer[0]}",
                 f"kg:onBehalfOf kgr:{behalf[0]}", f"kg:inCapacityOf kgr:role-{post[2]}",
                 f'kg:date "{day.isoformat()}"^^xsd:date', "kg:inferredProperty kg:date",
                 f"kg:inferenceNote {_lit('The date of the agreement.')}",
                 quotes=[quote], stated=stated)

    # a visit, and a meeting during it
    visit = f"kgr:visit-{ident}"
    visit_quote = art.say(f"{signers[1][1]} was on a visit to {city} on {_spoken(day)}.")
    art.node(visit, "a kg:Visit",
             f"rdfs:label {_lit(f'Visit of {signers[1][1]} to {city} ({day.isoformat()})')}@en",
             f'kg:date "{day.isoformat()}"^^xsd:date', f"kg:participant kgr:{signers[1][0]}",
             f"kg:place kgr:{city_slug}", quotes=[visit_quote])
    topic = f"cooperation in {rng.choice(_FIELDS)[1]}"
    meeting_quote = art.say(f"During the visit, {signers[0][1]} and {signers[1][1]} "
                            f"discussed {topic}.")
    art.node(f"kgr:meeting-{ident}", "a kg:Meeting",
             f"rdfs:label {_lit(f'Meeting of {signers[0][1]} and {signers[1][1]} ({day.isoformat()})')}@en",
             f'kg:date "{day.isoformat()}"^^xsd:date',
             f"kg:participant kgr:{signers[0][0]}, kgr:{signers[1][0]}",
             f"kg:place kgr:{city_slug}", f"kg:partOf {visit}", f"kg:topic {_lit(topic)}",
             quotes=[meeting_quote])

    # a name variant, now and then
    if index % 3 == 0:
        person = signers[0]
        variant_quote = art.say(f"{person[2]} also addressed the press.")
        art.node(f"kgr:{person[0]}", f"skos:altLabel {_lit(person[2])}@en",
                 quotes=[variant_quote], stated=False)

    # a state membership, now and then
    igos = [o for o in (first, second) if o[2] == "IntergovernmentalOrganization"]
    if igos and index % 4 == 1:
        since = 1970 + (world.countries.index((country_slug, country)) * 7
                        + world.orgs.index(igos[0])) % 50  # the same in every article
        quote = art.say(f"{country} has been a member of the {igos[0][1]} since {since}.")
        art.node(f"kgr:membership-{country_slug}-{igos[0][0]}", "a kg:StateMembership",
                 f"rdfs:label {_lit(f'{country}, member of the {igos[0][1]}')}@en",
                 f"kg:member kgr:{country_slug}", f"kg:organization kgr:{igos[0][0]}",
                 f'kg:startDate "{since}"^^xsd:gYear', quotes=[quote])

    art.say(f"{agency} reports.")
    art.node(f"src:{ident}", "a kg:NewsArticle",
             f"rdfs:label {_lit(f'{agency}, {_spoken(day)}: {kind} between the {first[1]} and the {second[1]}')}@en",
             f"dcterms:identifier {_lit(ident)}",
             f'dcterms:issued "{day.isoformat()}"^^xsd:date', 'dcterms:language "en"',
             f"dcterms:publisher kgr:{agency_slug}", f"kg:dateline {_lit(dateline)}",
             f"kg:datelinePlace kgr:{city_slug}", "kg:labelIsEditorial true",
             quotes=[f"{dateline}.", f"{agency} reports."], stated=False)
    return "\n\n".join(art.sentences) + "\n", art.trig(), found
