"""Chicago complaints: parse, link and co-accusal network figures (issue 17, items 5 and 6).

Prints, for the Chicago files given as arguments (the roster stands for the registry: its rows
read under the shipped roster mapping, each person an officer, without a database):

1. parse: the complaints file and the accused file read through their shipped mappings;
2. link: the accused linked to the roster's people (linked / ambiguous / unmatched);
3. the whole network: the index built, then the groups (communities and components, civilian
   complaints and all complaints, at least two shared complaints);
4. one officer's network (partners and the small graph) for the 500 officers with the most
   complaints: p50, p95, max.

    .venv/bin/python benchmarks/complaints_network.py DATA_DIR
        (DATA_DIR holds complaints_2000-2023.csv.gz, complaints-accused_2000-2023.csv.gz and
        roster_1985-2023.csv.gz)
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from importlib import resources
from pathlib import Path

from confianza.identities.rules.people import Person, person
from confianza.integrity.rules.complaints import read_accused, read_complaints
from confianza.integrity.rules.complaints_links import (
    LinkOutcome,
    count,
    link_accused,
    network_key,
)
from confianza.integrity.rules.complaints_mapping import parse_complaint_mapping
from confianza.integrity.rules.network import CoAccusals, Involvement, Method, Window
from confianza.registry.cli.files import load_mapping, read_roster
from confianza.registry.rules.import_rows import RowConverter


def _mapping(name: str) -> object:
    text = resources.files("confianza.integrity.mappings").joinpath(f"{name}.toml").read_text(
        "utf-8")
    return parse_complaint_mapping(text, name)


def _roster_people(path: Path) -> tuple[list[Person], dict[str, frozenset[str]]]:
    mapping = load_mapping("chicago-roster")
    roster = read_roster(path, mapping.encoding)
    rows = roster.rows(mapping.delimiter)
    _, header = next(rows)
    converter = RowConverter(mapping, header, roster.name, date(2026, 11, 20))
    people, badges = [], {}
    for line, row in rows:
        record, _ = converter.convert(row, line) if row else (None, [])
        if record is None:
            continue
        key = f"o:{line}"
        people.append(person(key, record.given_names, record.first_surname,
                             record.second_surname, record.birth_date, record.birth_year,
                             record.sex, None, (record.agency_code,), record.start_date,
                             record.end_date))
        badges[key] = frozenset(record.badges)
    return people, badges


def main(folder: Path) -> None:
    started = time.perf_counter()
    c_map, a_map = _mapping("chicago-complaints"), _mapping("chicago-accused")
    complaints = read_complaints(read_roster(folder / "complaints_2000-2023.csv.gz", "utf-8"),
                                 c_map)  # type: ignore[arg-type]
    accused = read_accused(read_roster(folder / "complaints-accused_2000-2023.csv.gz",
                                       "utf-8"), a_map)  # type: ignore[arg-type]
    parsed = time.perf_counter()
    print(f"parse: {len(complaints.records)} complaints + {len(accused.records)} accused rows "
          f"in {parsed - started:.2f} s")
    people, badges = _roster_people(folder / "roster_1985-2023.csv.gz")
    read = time.perf_counter()
    links = link_accused((a.identity for a in accused.records), people, badges)
    linked = time.perf_counter()
    counts = count(links, (a.identity for a in accused.records))
    print(f"roster read: {len(people)} people in {read - parsed:.2f} s; link: {len(links)} "
          f"accused people in {linked - read:.2f} s")
    for outcome in LinkOutcome:
        print(f"  {outcome}: {counts.identities[outcome]} people, {counts.rows[outcome]} rows")
    by_key = {c.key: c for c in complaints.records}
    t0 = time.perf_counter()
    network = CoAccusals(
        Involvement(a.complaint, by_key[a.complaint].date, by_key[a.complaint].civilian,
                    network_key(links[a.identity], a.identity, a.key), a.finding)
        for a in accused.records if a.complaint in by_key)
    t1 = time.perf_counter()
    print(f"network index: {network.accused} accused in {t1 - t0:.2f} s")
    for method in Method:
        for civilian in (True, False):
            t = time.perf_counter()
            groups = network.groups(Window(civilian_only=civilian), method=method)
            took = time.perf_counter() - t
            top = ", ".join(f"{g.size}/{g.complaints}/{g.sustained}" for g in groups[:5])
            print(f"groups {method} {'civilian' if civilian else 'all'}: {len(groups)} groups "
                  f"in {took:.2f} s; largest (size/complaints/sustained): {top}")
    for shared in (3, 4):
        groups = network.groups(Window(min_shared=shared), method=Method.COMPONENTS)
        print(f"components at {shared} shared: {len(groups)} groups, largest "
              f"{groups[0].size if groups else 0}")
    busiest = sorted((k for k in links.values() if k.officer_id), key=lambda k: k.officer_id or 0)
    keys = sorted({f"o:{k.officer_id}" for k in busiest},
                  key=lambda k: -len(network.complaints_of(k, Window(civilian_only=False))))
    times = []
    for key in keys[:500]:
        t = time.perf_counter()
        network.partners(key)
        network.neighbourhood(key)
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"one officer's network ({len(times)} busiest officers): p50 "
          f"{statistics.median(times) * 1000:.1f} ms, p95 "
          f"{times[int(0.95 * (len(times) - 1))] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms")
    print(f"whole run {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
