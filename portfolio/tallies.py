"""Totals the portfolio pages read instead of adding up every idea on every request.

Kept exact by PostgreSQL triggers (migration ``portfolio_totals``), in the same
transaction as the change, whatever makes it: ideas' and the Board's services,
Django admin, ``seed_bulk``'s bulk inserts, raw SQL. The ideas app knows
nothing of them (ideas never imports portfolio): the triggers on the ideas
tables are declared by this app and write only this app's tables.

Two kinds of table:

* ``*Share``: what one idea contributes (one row per idea, per idea and system,
  per idea and valuing department, per stage change). Read by idea id only,
  to take an idea's old contribution out before its new one goes in, and to
  add the few confidential ideas a viewer sees through their own links.
* ``*Tally``: the shares summed per key and per confidentiality. Small: their
  size follows systems, departments, stages and months, not ideas. Pages sum
  the buckets the viewer may see (see ``portfolio.totals``).

Department 0 stands for "no department" so the keys can be unique.
Never written from Python: the triggers are the only writers.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

ZERO = Decimal("0")


def _money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=18, decimal_places=2, default=ZERO, **kwargs)


class IdeaShare(models.Model):
    """One idea's own figures: its stage, confidentiality, department, submission day, money and outputs."""

    idea_id = models.BigIntegerField(primary_key=True)
    stage_id = models.BigIntegerField()
    is_confidential = models.BooleanField()
    department_id = models.BigIntegerField()
    submitted_day = models.DateField(null=True)
    submitted_month = models.DateField(null=True)
    one_off = _money()  # the idea's one-off cost plus its integration cost
    recurring = _money()
    savings = _money()
    outputs = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"idea {self.idea_id}"


class SystemShare(models.Model):
    """One idea's link to a central system, with the idea's stage and costs."""

    idea_id = models.BigIntegerField()
    system_id = models.BigIntegerField()
    stage_id = models.BigIntegerField()
    is_confidential = models.BooleanField()
    integration = _money()
    one_off = _money()
    recurring = _money()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea_id", "system_id"], name="systemshare_key")]

    def __str__(self) -> str:
        return f"idea {self.idea_id} on system {self.system_id}"


class FlowShare(models.Model):
    """How many of one idea's data outputs one department would value."""

    idea_id = models.BigIntegerField()
    receiver_id = models.BigIntegerField()
    producer_id = models.BigIntegerField()
    stage_id = models.BigIntegerField()
    is_confidential = models.BooleanField()
    outputs = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea_id", "receiver_id"], name="flowshare_key")]

    def __str__(self) -> str:
        return f"idea {self.idea_id} to department {self.receiver_id}: {self.outputs}"


class StayShare(models.Model):
    """One stay of an idea in a stage, ended by a stage change: how many days it lasted."""

    stage_change_id = models.BigIntegerField(primary_key=True)
    idea_id = models.BigIntegerField()
    stage_id = models.BigIntegerField()  # the stage the idea stayed in (the change's from-stage)
    idea_stage_id = models.BigIntegerField()  # where the idea is now (drafts are left out of the portfolio)
    department_id = models.BigIntegerField()
    is_confidential = models.BooleanField()
    left_at = models.DateTimeField()
    days = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["idea_id"], name="stayshare_idea"),
            # Dashboards read the stays that ended in a period from this index alone.
            models.Index(fields=["left_at"], name="stayshare_left",
                         include=["stage_id", "idea_stage_id", "department_id", "is_confidential", "idea_id", "days"]),
        ]

    def __str__(self) -> str:
        return f"idea {self.idea_id} in stage {self.stage_id}: {self.days:.1f} days"


class SystemTally(models.Model):
    """Per central system, stage and confidentiality: ideas linked, integration load and the ideas' own costs."""

    system_id = models.BigIntegerField()
    stage_id = models.BigIntegerField()
    is_confidential = models.BooleanField()
    ideas = models.BigIntegerField(default=0)
    integration = _money()
    one_off = _money()
    recurring = _money()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system_id", "stage_id", "is_confidential"],
                                               name="systemtally_key")]

    def __str__(self) -> str:
        return f"system {self.system_id}, stage {self.stage_id}: {self.ideas}"


class FlowTally(models.Model):
    """Per producing department × valuing department, stage and confidentiality: outputs and distinct ideas."""

    producer_id = models.BigIntegerField()
    receiver_id = models.BigIntegerField()
    stage_id = models.BigIntegerField()
    is_confidential = models.BooleanField()
    outputs = models.BigIntegerField(default=0)
    ideas = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["producer_id", "receiver_id", "stage_id", "is_confidential"],
                                               name="flowtally_key")]

    def __str__(self) -> str:
        return f"{self.producer_id} → {self.receiver_id}, stage {self.stage_id}: {self.outputs}"


class OutputTally(models.Model):
    """Per producing department, stage and confidentiality: how many data outputs (the register's count)."""

    producer_id = models.BigIntegerField()
    stage_id = models.BigIntegerField()
    is_confidential = models.BooleanField()
    outputs = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["producer_id", "stage_id", "is_confidential"],
                                               name="outputtally_key")]

    def __str__(self) -> str:
        return f"department {self.producer_id}, stage {self.stage_id}: {self.outputs}"


class PeriodTally(models.Model):
    """Submitted ideas per month ("m") or day ("d") of submission (local time), department, stage and confidentiality.

    Dashboards read whole months from the month rows and the days at either end of
    their period from the day rows, so a year's figures read a bounded number of rows.
    """

    kind = models.CharField(max_length=1)
    period = models.DateField()
    department_id = models.BigIntegerField()
    stage_id = models.BigIntegerField()
    is_confidential = models.BooleanField()
    ideas = models.BigIntegerField(default=0)
    one_off = _money()
    recurring = _money()
    savings = _money()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "period", "department_id", "stage_id", "is_confidential"],
                                               name="periodtally_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.period}, stage {self.stage_id}: {self.ideas}"
