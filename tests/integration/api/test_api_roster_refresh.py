"""The roster refresh's queues over HTTP on both databases: HR confirms a pending separation,
the clerk splits a conflict, and each answer says what became of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from api_support import assert_problem, bearer, client

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.kit.curp import build_curp
from confianza.registry.rules.import_mapping import parse_mapping
from confianza.registry.rules.roster_file import decode_roster
from confianza.registry.service.officer_import import import_officers

DATA = Path(__file__).parents[2] / "data" / "refresh" / "refresh.toml"
TEXT = DATA.read_text(encoding="utf-8")
HEADER = ("curp,nombres,paterno,materno,sexo,nacimiento,grado,ingreso,baja,motivo,situacion,"
          "corporacion,unidad,unidad_nombre,placa")


def _row(given: str, first: str, born: str, sex: str, **changes: str) -> str:
    curp = build_curp(first, "LUNA", changes.pop("curp_given", given), date.fromisoformat(born),
                      sex, "JC")
    values = {"grado": "POLICÍA", "corporacion": "JAL-SSP"} | changes
    return (f"{curp},{given},{first},LUNA,{sex},{born},{values['grado']},2015-02-01,,,,"
            f"{values['corporacion']},Z1,Zona 1,")


def _apply(container: Container, operator: Actor, rows: list[str], name: str,
           complete: bool = False) -> None:
    mapping = parse_mapping(TEXT + ("[roster]\ncomplete = true\n" if complete else ""),
                            "refresh.toml")
    raw = "\n".join([HEADER, *rows, ""]).encode("utf-8")
    import_officers(container.uow(), operator, decode_roster(name, raw, "utf-8"), mapping)


def test_hr_confirms_and_the_clerk_splits_over_http(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    ana = _row("ANA", "DIAZ", "1990-07-08", "M")
    eva = _row("EVA", "RUIZ", "1985-03-04", "M")
    _apply(container, operator, [ana, eva], "first.csv")
    _apply(container, operator, [ana], "complete.csv", complete=True)
    _apply(container, operator, [_row("ANABEL", "DIAZ", "1990-07-08", "M", curp_given="ANA",
                                      grado="CABO"), eva], "second.csv")
    api = client(container)
    hr = bearer(container, Role.AGENCY_HR, Scope(ScopeKind.AGENCY,
                                                  agency_id=agencies["JAL-SSP"]), "hr-jal")
    listed = api.get("/api/v1/pending-separations", headers=hr)
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["file_name"] == "complete.csv" and item["status"] == "pending"
    bad = api.post(f"/api/v1/pending-separations/{item['id']}/confirm", headers=hr,
                   json={"end_date": "2014-01-01", "reason": "resignation"})
    assert_problem(bad, 422, "end_date")
    done = api.post(f"/api/v1/pending-separations/{item['id']}/confirm", headers=hr,
                    json={"end_date": "2024-05-01", "reason": "resignation"})
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    again = api.post(f"/api/v1/pending-separations/{item['id']}/dismiss", headers=hr,
                     json={"note": "still serves"})
    assert_problem(again, 409, "already confirmed")

    clerk = bearer(container, Role.REGISTRY_CLERK, username="clerk")
    [conflict] = api.get("/api/v1/roster-conflicts", headers=clerk).json()["items"]
    assert conflict["facts"][0]["field"] == "name"
    assert [r["rank"] for r in conflict["file_rows"]] == ["CABO"]
    new_curp = build_curp("DIAZ", "LUNA", "ANABEL", date(1990, 7, 8),
                          "M", "JC", "1")
    split = api.post(f"/api/v1/roster-conflicts/{conflict['id']}/decision", headers=clerk,
                     json={"decision": "split", "new_key": new_curp})
    assert split.status_code == 200, split.text
    assert split.json()["status"] == "split" and split.json()["new_officer_id"]
    profile = api.get(f"/api/v1/officers/{split.json()['new_officer_id']}", headers=clerk)
    assert profile.json()["given_names"] == "ANABEL"
