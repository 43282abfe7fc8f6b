"""Every audit action and object type has a Dutch label (issue 10, "Smaller, from administrators' use"),
from the features' own vocabularies (issue 11: one ``LabelledEnum`` of actions per feature, registered
with ``audit.register_actions``; core names no feature).

The actions are found in the source itself: every call ``audit.record(...)`` under wki/, read with the
``ast`` module, so a call over several lines, a conditional (``A.X if a else A.Y``), a member
(``AuthAction.LOGGED_IN``), a string and a module constant (``MERGED``) count too. An action that no
registered enum declares fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa

from wki.core import audit
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.status import LabelledEnum

SOURCE = Path(__file__).resolve().parents[2] / "wki"


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound to string literals (``A = "x"``, ``A, B = "x", "y"``)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = []
            if isinstance(target, ast.Name):
                pairs = [(target, node.value)]
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts, strict=False))
            for name, value in pairs:
                if isinstance(name, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found[name.id] = value.value
    return found


def _strings_in(node: ast.AST, names: dict[str, str]) -> set[str]:
    """The strings an expression can give: its string literals, the module constants it names and the enum
    members it names (``Enum.MEMBER``, kept as that text, for :func:`_resolve`)."""
    result = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            result.add(sub.value)
        elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id[:1].isupper():
            result.add(f"{sub.value.id}.{sub.attr}")
        elif isinstance(sub, ast.Name) and sub.id in names:
            result.add(names[sub.id])
    return result


def _resolve(found: str) -> str:
    """A member named in the source (``AuthAction.LOGGED_IN``) as its stored code; a code as itself."""
    enum_name, _, member = found.partition(".")
    for enum in audit.registered_actions():
        if enum.__name__ == enum_name:
            assert member in enum.__members__, f"{found}: no such member"
            return enum[member].value
    return found


def _is_audit_record(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr == "record" and isinstance(func.value, ast.Name)
            and func.value.id == "audit")


# Core's workflow records the action its caller declared (a member of the caller's registered enum, e.g.
# SupervisionAction.INSPECTION_STATUS): the scan finds those where the feature names them.
GENERIC_RECORDERS = {"wki/core/workflow.py"}


def recorded_in_source() -> tuple[set[str], set[str], list[str]]:
    """(actions, object types, calls whose action is not a literal) of every audit.record call in wki/."""
    actions: set[str] = set()
    object_types: set[str] = set()
    unreadable: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = _module_strings(tree)
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and _is_audit_record(call)):
                continue
            where = f"{path.relative_to(SOURCE.parent)}:{call.lineno}"
            found = _strings_in(call.args[0], names) if call.args else set()
            if not found and where.split(":")[0] not in GENERIC_RECORDERS:
                unreadable.append(where)
            actions |= {_resolve(f) for f in found}
            for kw in call.keywords:
                if kw.arg == "object_type":
                    object_types |= _strings_in(kw.value, names)
    return actions, object_types, unreadable


def test_the_scan_finds_the_actions(app):
    actions, object_types, unreadable = recorded_in_source()
    assert unreadable == [], "an audit.record call whose action this scan cannot read"
    # Spot checks that the scan reads conditionals, constants and calls over several lines.
    assert {"gebruiker.geactiveerd", "gebruiker.gedeactiveerd", "verdachte.samengevoegd",
            "signalen.beoordeeld", "partnertoken.uitgegeven"} <= actions
    assert {"gebruiker", "aanmelden", "suspect"} <= object_types


def test_every_recorded_action_is_in_a_features_vocabulary(app):
    actions, _, _ = recorded_in_source()
    missing = sorted(actions - audit.action_labels().keys())
    assert missing == [], f"audit actions that no registered action enum declares: {missing}"


def test_every_recorded_object_type_has_a_dutch_name(app):
    _, object_types, _ = recorded_in_source()
    missing = sorted(object_types - audit.object_type_labels().keys())
    assert missing == [], f"object types without a registered name (audit.register_object_types): {missing}"


def test_each_feature_registers_one_vocabulary_and_core_names_none(app):
    modules = {enum.__module__ for enum in audit.registered_actions()}
    assert {"wki.auth.audit_actions", "wki.admin.audit_actions", "wki.register.audit_actions",
            "wki.signals.audit_actions", "wki.core.audit_actions"} <= modules
    source = (SOURCE / "core" / "audit.py").read_text(encoding="utf-8")
    for enum in audit.registered_actions():
        for member in enum:
            assert f'"{member.value}"' not in source, f"wki/core/audit.py names {member.value}"


def test_labels_are_dutch_words_not_codes(app):
    for label in [*audit.action_labels().values(), *audit.object_type_labels().values()]:
        assert label[0].isupper() and "." not in label and "_" not in label, label


def test_a_code_registered_twice_with_another_meaning_is_refused(app):
    class Clash(LabelledEnum):
        LOGGED_IN = "aanmelden.gelukt", "Iets anders"

    with pytest.raises(ValueError, match="aanmelden.gelukt"):
        audit.register_actions(Clash)
    assert audit.action_label("aanmelden.gelukt") == "Ingelogd"
    assert Clash not in audit.registered_actions()


def test_record_stores_a_members_code(db_session):
    from wki.auth.audit_actions import AuthAction

    evt = audit.record(AuthAction.LOGGED_OUT, object_type="gebruiker", object_id=3, actor=Actor.process("a@test"))
    db_session.flush()
    db_session.expire(evt)
    assert type(evt.action) is str and evt.action == "afmelden" and evt.action_label == "Uitgelogd"


def test_the_audit_page_shows_the_labels(admin_client, db_session):
    audit.record("gebruiker.gedeactiveerd", object_type="gebruiker", object_id=41, actor=Actor.process("a@test"))
    audit.record("verdachte.gesplitst", object_type="suspect", object_id=7, actor=Actor.process("a@test"))
    audit.record("oude.actie", object_type="iets_ouds", object_id=1, actor=Actor.process("a@test"))
    db_session.flush()
    html = admin_client.get("/beheer/audit").get_data(as_text=True)
    assert "Gebruiker gedeactiveerd" in html and "Gebruiker 41" in html
    assert "Mogelijke overtreder gesplitst" in html and "Mogelijke overtreder 7" in html
    assert ">suspect 7<" not in html
    # A code no longer in the source (old events stay) still shows, as itself.
    assert "oude.actie" in html and "iets_ouds 1" in html
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "gebruiker.gedeactiveerd")) >= 1


def test_the_filters_offer_the_labels_and_filter_by_the_code(admin_client, db_session):
    audit.record("gebruiker.gedeactiveerd", object_type="gebruiker", object_id=41, actor=Actor.process("a@test"))
    audit.record("verdachte.gesplitst", object_type="suspect", object_id=7, actor=Actor.process("a@test"))
    db_session.flush()
    html = admin_client.get("/beheer/audit").get_data(as_text=True)
    assert '<option value="gebruiker.gedeactiveerd">Gebruiker gedeactiveerd</option>' in html
    assert '<option value="suspect">Mogelijke overtreder</option>' in html
    filtered = admin_client.get("/beheer/audit?actie=verdachte.gesplitst").get_data(as_text=True)
    assert "Mogelijke overtreder 7" in filtered and "Gebruiker 41" not in filtered
