"""The API's bodies checked by the very forms the pages use, so there is one set of rules.

A body is turned into the form data a browser would send (strings, links one per line) and
validated without CSRF (the token stands for it). A form's errors become the 422's
``fields``, named as the API names them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from workplan.api.errors import ApiError

F = TypeVar("F", bound=FlaskForm)


def form_data(values: dict[str, Any]) -> MultiDict[str, str]:
    """What a browser would post for ``values`` (None means the field was left empty)."""
    data: MultiDict[str, str] = MultiDict()
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data.add(name, "y")
        elif isinstance(value, list):
            data.add(name, "\n".join(str(item) for item in value))
        else:
            data.add(name, str(value))
    return data


def checked(
    form_class: type[F],
    values: dict[str, Any],
    *,
    rename: dict[str, str] | None = None,
    prepare: Any = None,
    **options: Any,
) -> F:
    """``form_class`` filled with ``values`` and validated; raise a 422 with its errors.

    ``prepare(form)`` runs before validation (to set choices); ``rename`` maps form field
    names to the API's."""
    form = form_class(formdata=form_data(values), meta={"csrf": False}, **options)
    if prepare is not None:
        prepare(form)
    if not form.validate():
        raise ApiError(422, fields=form_errors(form, rename or {}))
    return form


def form_errors(form: FlaskForm, rename: dict[str, str]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        key = rename.get(name, name)
        fields.setdefault(key, []).extend(str(m) for m in messages)  # type: ignore[union-attr]
    return fields
