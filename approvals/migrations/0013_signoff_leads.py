"""Function leads: a permission to hand out the sign-offs of the functions one is a member of.
State only: no table changes, so the triggers on approvals_signoff stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('approvals', '0012_record_render_error_limit'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='signoff',
            options={'ordering': ['round', 'pk'], 'permissions': [('lead_signoffs', 'Can assign and reassign sign-offs of their functions')], 'verbose_name': 'sign-off'},
        ),
    ]
