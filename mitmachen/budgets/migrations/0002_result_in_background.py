# Results computed by a background task with progress. Results stored before have
# their data: they start as done (100 %); new ones start queued (0 %).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='groupresult',
            name='message',
            field=models.TextField(blank=True, verbose_name='Fehlermeldung'),
        ),
        migrations.AddField(
            model_name='groupresult',
            name='progress',
            field=models.PositiveSmallIntegerField(default=100, verbose_name='Fortschritt in Prozent'),
        ),
        migrations.AlterField(
            model_name='groupresult',
            name='progress',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='Fortschritt in Prozent'),
        ),
        migrations.AddField(
            model_name='groupresult',
            name='started_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='angefordert am'),
        ),
        migrations.AddField(
            model_name='groupresult',
            name='state',
            field=models.CharField(choices=[('queued', 'wartet auf die Berechnung'), ('running', 'wird berechnet'), ('done', 'berechnet'), ('failed', 'Berechnung fehlgeschlagen')], default='done', max_length=10, verbose_name='Stand'),
        ),
        migrations.AlterField(
            model_name='groupresult',
            name='state',
            field=models.CharField(choices=[('queued', 'wartet auf die Berechnung'), ('running', 'wird berechnet'), ('done', 'berechnet'), ('failed', 'Berechnung fehlgeschlagen')], default='queued', max_length=10, verbose_name='Stand'),
        ),
        migrations.AlterField(
            model_name='groupresult',
            name='computed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='berechnet am'),
        ),
        migrations.AlterField(
            model_name='groupresult',
            name='data',
            field=models.JSONField(blank=True, null=True, verbose_name='Ergebnis'),
        ),
        migrations.AddConstraint(
            model_name='groupresult',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'done'), ('data__isnull', False)), models.Q(models.Q(('state', 'done'), _negated=True), ('data__isnull', True)), _connector='OR'), name='budget_result_data_when_done'),
        ),
        migrations.AddConstraint(
            model_name='groupresult',
            constraint=models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='budget_result_progress_percent'),
        ),
    ]
