"""The reference model: the rules of docs/ODD.md written agent by agent (Mesa AgentSet).

`ReferenceModel` is the executable statement of the rules, for reading and
for docking the fast `MarketModel` against (docs/ODD.md, "The reference
model"); `model.reference.pay` holds every plan's placement and pay as walks
up the upline.
"""

from model.reference.model import ReferenceModel

__all__ = ["ReferenceModel"]
