"""What Comhla holds about a person, across every app: a complete export, erasure, and
retention.

- `rules`: the words the classification is written in
- `holdings`: `HOLDINGS`, every model and field about a person, and what export and erasure do
- `classification`: the checks that nothing is left unclassified; the rows about one person
- `export`: a person's download, and whether anything is held about them at all
- `erasure`: erasing a person
- `retention`: who is past their programmes' retention

The names below are the package's public API.
"""

from participants.personal_data.classification import (
    classification_gaps,
    holding_fields,
    models_referring_to_people,
    rows_of,
)
from participants.personal_data.erasure import person_erase
from participants.personal_data.export import export_person, export_person_json, has_personal_data
from participants.personal_data.holdings import HOLDINGS, NOT_ABOUT_PEOPLE
from participants.personal_data.retention import people_past_retention
from participants.personal_data.rules import (
    ANONYMISED,
    DELETED,
    ERASED,
    EXPORTED,
    Holding,
    kept,
    not_exported,
)

__all__ = [
    "ANONYMISED",
    "DELETED",
    "ERASED",
    "EXPORTED",
    "HOLDINGS",
    "NOT_ABOUT_PEOPLE",
    "Holding",
    "classification_gaps",
    "export_person",
    "export_person_json",
    "has_personal_data",
    "holding_fields",
    "kept",
    "models_referring_to_people",
    "not_exported",
    "people_past_retention",
    "person_erase",
    "rows_of",
]
