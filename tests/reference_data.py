"""The rows the data migrations load (role groups, checklist v1, data categories,
failure-mode mappings), loaded again.

Transactional tests (a live server) empty the database after themselves; serialized_rollback normally puts
these rows back, but on PostgreSQL, after other transactional tests, it has been seen not to. Loading them
again with the migrations' own idempotent functions makes each live-server test independent."""

import importlib


def load_reference_data() -> None:
    from django.apps import apps

    from governance.roles import ROLE_PERMISSIONS, sync_role_groups

    importlib.import_module("governance.migrations.0002_data_categories").load(apps, None)
    importlib.import_module("checklist.migrations.0002_template_v1").load(apps, None)
    importlib.import_module("checklist.migrations.0006_item_guidance").load(apps, None)
    importlib.import_module("evaluations.migrations.0002_failure_mode_mappings").load(apps, None)
    sync_role_groups(apps, ROLE_PERMISSIONS)
