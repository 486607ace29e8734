"""casework.Action becomes AgreedAction, so "action" no longer means three things (the audit trail's action, a
plan's SMART action, and an action agreed at a strategy discussion or core group).

RenameModel renames the tables (casework_action -> casework_agreedaction, and the history table likewise) and
keeps every row; Django's contenttypes app renames the content type in the same migrate run. The reverse
accessors become agreed_actions (only Python names: no column changes).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0002_closure_proposal_and_absent_agencies'),
    ]

    operations = [
        migrations.RenameModel(old_name='Action', new_name='AgreedAction'),
        migrations.RenameModel(old_name='HistoricalAction', new_name='HistoricalAgreedAction'),
        migrations.AlterModelOptions(
            name='historicalagreedaction',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'),
                     'verbose_name': 'historical agreed action', 'verbose_name_plural': 'historical agreed actions'},
        ),
        migrations.AlterField(
            model_name='agreedaction',
            name='core_group',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='agreed_actions', to='casework.coregroup'),
        ),
        migrations.AlterField(
            model_name='agreedaction',
            name='strategy_discussion',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='agreed_actions', to='casework.strategydiscussion'),
        ),
    ]
