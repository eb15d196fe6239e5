"""Addresses that never repeat, as officers make them: run inside Django
(`manage.py shell -c "from tests.bench.addresses import write; write('DIR')"`).

Writes one file per kind of page, one path a line, shuffled by a fixed seed:

- search: one to three words of council vocabulary (the shelves' own commonest
  words, the reform types and service areas, officers' phrases), a third of
  them with a slip of the keyboard (a letter dropped, doubled or swapped);
- search with filters: such a search with a nation, a status and a strength of
  evidence;
- filtered list: one to three filters of any kind, a sort and a page;
- case study: published case studies, each once (then, on shelves with fewer
  than there are addresses to fill, reached from campaign links as below);
- council: every council with a page, then the same pages reached from a
  campaign link (?from=N), which the page cache also sees as a new address;
- home: the home page reached from campaign links (?from=N).
"""

import json
import random
from pathlib import Path
from urllib.parse import urlencode

from casestudies.models import CaseStudy, DeliveryStatus, ReformType, Theme
from councils.models import REGIONS, Council, CouncilType, Nation
from search.models import SearchWord

PER_KIND = 8000
OFFICER_PHRASES = [
    "shared services",
    "joint committee",
    "back office",
    "adult social care",
    "children's services",
    "waste collection",
    "recycling",
    "libraries",
    "leisure centres",
    "trading company",
    "outsourcing",
    "insourcing",
    "bringing services back in house",
    "demand management",
    "early help",
    "prevention",
    "digital",
    "channel shift",
    "customer contact",
    "revenues and benefits",
    "council tax",
    "homelessness",
    "housing company",
    "temporary accommodation",
    "highways",
    "planning",
    "regulatory services",
    "trading standards",
    "environmental health",
    "procurement",
    "legal",
    "merger",
    "unitary",
    "devolution",
    "combined authority",
    "community asset transfer",
    "volunteers",
    "co-operative council",
    "mutual",
    "spin out",
    "social prescribing",
    "integration with the nhs",
    "savings",
    "efficiency",
    "budget gap",
    "section 114",
    "culture change",
    "place-based",
]
NATIONS = [value for value, _ in Nation.choices]
STATUSES = [value for value, _ in DeliveryStatus.choices]
SORTS = ["relevance", "newest", "savings", "evidence", "adopted"]


def misspelt(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 1)
    slip = rng.choice(["drop", "double", "swap"])
    if slip == "drop":
        return word[:at] + word[at + 1 :]
    if slip == "double":
        return word[:at] + word[at] + word[at:]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


def vocabulary() -> list[str]:
    common = list(SearchWord.objects.order_by("-frequency", "word").values_list("word", flat=True)[:1500])
    terms = [
        name.lower()
        for name in [
            *ReformType.objects.values_list("name", flat=True),
            *Theme.objects.values_list("name", flat=True),
        ]
    ]
    return common + terms + OFFICER_PHRASES * 5


def searches(rng: random.Random, count: int) -> list[str]:
    words, seen, found = vocabulary(), set(), []
    while len(found) < count:
        chosen = [rng.choice(words) for _ in range(rng.choice([1, 2, 2, 3]))]
        if rng.random() < 0.33:
            at = rng.randrange(len(chosen))
            chosen[at] = " ".join(misspelt(part, rng) for part in chosen[at].split())
        text = " ".join(chosen)
        if text not in seen:
            seen.add(text)
            found.append(text)
    return found


def filters(rng: random.Random, vocab: dict[str, list[str]]) -> dict[str, object]:
    options = {
        "reform_type": vocab["reform_type"],
        "theme": vocab["theme"],
        "nation": NATIONS,
        "region": list(REGIONS),
        "council_type": [value for value, _ in CouncilType.choices],
        "status": STATUSES,
        "evidence": ["1", "2", "3", "4"],
        "has_savings": ["yes"],
    }
    chosen = {}
    for name in rng.sample(sorted(options), rng.choice([1, 2, 2, 3])):
        values = options[name]
        multiple = name not in ("evidence", "has_savings") and rng.random() < 0.3
        chosen[name] = rng.sample(values, min(2, len(values))) if multiple else rng.choice(values)
    return chosen


def unique(paths: list[str]) -> list[str]:
    return list(dict.fromkeys(paths))


def write(directory: str, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    vocab = {
        "reform_type": list(ReformType.objects.values_list("slug", flat=True)),
        "theme": list(Theme.objects.values_list("slug", flat=True)),
    }
    kinds = {
        "search": [f"/case-studies/?{urlencode({'q': q})}" for q in searches(rng, PER_KIND)],
        "search with filters": [
            "/case-studies/?"
            + urlencode(
                {
                    "q": q,
                    "nation": rng.choice(NATIONS),
                    "status": rng.choice(STATUSES),
                    "evidence": rng.choice("1234"),
                }
            )
            for q in searches(random.Random(seed + 1), PER_KIND)
        ],
        "filtered list": unique(
            "/case-studies/?"
            + urlencode(
                {**filters(rng, vocab), "sort": rng.choice(SORTS[1:]), "page": rng.choice([1, 1, 2, 3])},
                doseq=True,
            )
            for _ in range(PER_KIND * 2)
        )[:PER_KIND],
        "case study": campaign(
            [
                f"/case-studies/{slug}/"
                for slug in CaseStudy.objects.published()
                .order_by("?")
                .values_list("slug", flat=True)[:PER_KIND]
            ]
        ),
        "council": campaign(
            [
                f"/councils/{code.lower()}/"
                for code in Council.objects.order_by("?").values_list("code", flat=True)
            ]
        ),
        "home": [f"/?from={n}" for n in range(PER_KIND)],
    }
    for name, paths in kinds.items():
        rng.shuffle(paths)
        (out / f"{name.replace(' ', '-')}.txt").write_text("\n".join(paths) + "\n")
    counts = {name: len(paths) for name, paths in kinds.items()}
    print(json.dumps(counts))
    return counts


def campaign(paths: list[str]) -> list[str]:
    """The pages themselves, then each reached from campaign links, until there are PER_KIND."""
    found, n = list(paths), 0
    while len(found) < PER_KIND:
        found += [f"{path}?from={n}" for path in paths]
        n += 1
    return found[:PER_KIND]
