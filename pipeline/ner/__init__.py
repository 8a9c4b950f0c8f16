"""A CRF sequence tagger for PERSON/ORG/LOCATION trained on KLUE-NER (see model/README.md)."""
