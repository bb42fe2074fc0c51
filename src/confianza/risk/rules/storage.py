"""A trained model as bytes that can be kept, and refused on load when they are not ours.

The bytes are Python's pickle of the `RiskModel` (the estimator and what describes it), as
scikit-learn documents for persisting its estimators. Pickle runs code when it is loaded, and
an estimator pickled by one library version may load wrongly under another; so a stored
model carries the SHA-256 of its bytes and the versions of the code that wrote them, and
`load` checks both *before* unpickling: altered bytes or another version are refused with a
message that says which, and what to do (ADR 0034).

A digest kept beside the bytes stops an accident, not a person: whoever can write the row can
write both. So the model is also **sealed**: an HMAC-SHA256, under a key the database never
holds (derived from the deployment's secret, `model_key`), over its version, its bytes' digest,
the code that wrote it and whether it was promoted. Bytes swapped for a payload, or a failed
model marked promoted by hand in the database, break the seal, and nothing is unpickled.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import pickle
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from confianza.core.errors import Conflict
from confianza.risk.rules.model import RiskModel

#: The packages whose versions decide whether stored bytes load as they were written.
_PACKAGES = ("confianza", "scikit-learn", "numpy", "lightgbm")


def code_version() -> str:
    """The code that writes and reads a model: our version and the learners' libraries'."""
    parts = []
    for name in _PACKAGES:
        try:
            parts.append(f"{name} {package_version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} absent")
    return "; ".join(parts)


@dataclass(frozen=True)
class Artefact:
    data: bytes
    sha256: str
    code_version: str


def seal(key: bytes, *, version: str, sha256: str, code_version: str, promoted: bool) -> str:
    """The model's seal: what decides whether and how it is used, under the sealing key."""
    message = json.dumps([version, sha256, code_version, promoted]).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def dump(model: RiskModel) -> Artefact:
    data = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    return Artefact(data, hashlib.sha256(data).hexdigest(), code_version())


def load(data: bytes, *, sha256: str, written_by: str, version: str, promoted: bool,
         sealed: str, key: bytes) -> RiskModel:
    """The model the bytes hold, after checking its seal, that they are the bytes stored and
    that this code wrote them; Conflict naming the model and the reason otherwise."""
    expected = seal(key, version=version, sha256=sha256, code_version=written_by,
                    promoted=promoted)
    if not hmac.compare_digest(expected, sealed):
        raise Conflict(f"model {version}: its seal does not match what is stored (its bytes, "
                       "its writer or its promotion were changed outside Confianza, or the "
                       "deployment's key changed); it is not loaded (train a new model)",
                       code="model_seal_broken")
    found = hashlib.sha256(data).hexdigest()
    if found != sha256:
        raise Conflict(f"model {version} has been altered: its bytes' SHA-256 is {found}, "
                       f"{sha256} was recorded when it was trained; it is not loaded "
                       "(train a new model)", code="model_altered")
    running = code_version()
    if written_by != running:
        raise Conflict(f"model {version} was written by another version of the code "
                       f"({written_by}); this is {running}: it is not loaded (train the model "
                       "again with this version)", code="model_other_version")
    model = pickle.loads(data)  # the digest and the writer were checked above
    if not isinstance(model, RiskModel) or model.version != version:
        raise Conflict(f"model {version}: the stored bytes hold another model; it is not "
                       "loaded (train a new model)", code="model_altered")
    return model
