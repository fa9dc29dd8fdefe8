"""Small journey maps for tests, as YAML text and as data."""

from __future__ import annotations

MINIMAL_YAML = """\
schema_version: 1
id: acme-journey
name: Acme B2B journey
language: en
stages:
  - id: discovery
    name: Discovery
    phase: pre_purchase
  - id: purchase
    name: Purchase
    phase: pre_purchase
  - id: retention
    name: Retention
    phase: post_purchase
business_units:
  - id: marketing
    name: Marketing
  - id: sales
    name: Sales
touchpoints:
  - id: website
    name: Website
    stage: discovery
    channel: web
    channel_kind: online
    owner_bu: marketing
  - id: proposal
    name: Proposal
    stage: purchase
    channel: meeting
    channel_kind: personal
    owner_bu: sales
    shared_bus:
      - marketing
"""
