"""Bürgerhaushalt (participatory budget): ideas with a cost, a feasibility review by
staff, ballots per group of money, and results by a rule staff chose in advance."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import public_name
from mitmachen.core.channels import Channel
from mitmachen.core.models import ModeratedModel, TimeStampedModel
from mitmachen.core.paper import PaperBatchBase, paper_place_field
from mitmachen.core.uploads import RandomName
from mitmachen.organisations.models import District
from mitmachen.projects.models import Project

# The phase actions (declared in ``budgets.module``).
SUBMIT_IDEA = "budget_idea"
VOTE = "budget_vote"
# Selecting by supports: residents support ideas; the most supported go to the ballot.
SUPPORT = "budget_support"

# The kinds of notification the module sends (declared in ``budgets.module``).
IDEA_REVIEWED = "budget_idea_reviewed"
IDEA_ASSIGNED = "budget_idea_assigned"
TIME_FRAME_MAX_LENGTH = 200

TITLE_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 5000
EXPLANATION_MAX_LENGTH = 3000
# No idea in a small town's budget costs more; a larger figure is a typing error.
MAX_COST = 10_000_000


class BallotRule(models.TextChoices):
    KNAPSACK = "knapsack", _("Auswahl bis das Geld aufgebraucht ist")
    APPROVAL = "approval", _("Zustimmung zu höchstens N Vorschlägen")


class ResultRule(models.TextChoices):
    GREEDY = "greedy", _("Meiste Stimmen zuerst")
    MES = "mes", _("Methode der gleichen Anteile")


class SelectionRule(models.TextChoices):
    TOP = "top", _("die meistunterstützten Ideen")
    THRESHOLD = "threshold", _("Ideen ab einer Zahl von Unterstützungen")


class Feasibility(models.TextChoices):
    PENDING = "pending", _("wird geprüft")
    FEASIBLE = "feasible", _("machbar")
    UNFEASIBLE = "unfeasible", _("nicht machbar")


class Budget(TimeStampedModel):
    """A participatory budget in a project, with groups of money (``BudgetGroup``).

    Its phases are the project's: a phase that allows ``SUBMIT_IDEA`` collects ideas, one
    that allows ``VOTE`` is the ballot. Between them staff review feasibility; once every
    ballot phase has ended the results are computed. ``result_rule`` is the binding rule;
    staff choose it (``result_rule_set_by``/``_at`` record who and when) and it cannot
    change once the first ballot phase has begun (``services.budget_set_result_rule``).
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    title = models.CharField(_("Titel"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=TEXT_MAX_LENGTH)
    result_rule = models.CharField(
        _("verbindliche Auszählungsregel"),
        max_length=10,
        choices=ResultRule.choices,
        default=ResultRule.MES,
    )
    result_rule_set_at = models.DateTimeField(_("Regel festgelegt am"), null=True, blank=True)
    result_rule_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Regel festgelegt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Bürgerhaushalt")
        verbose_name_plural = _("Bürgerhaushalte")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:detail", args=[self.pk])

    def vote_phases(self) -> list:
        return [p for p in self.project.ordered_phases() if VOTE in p.actions]

    def ballot_started(self, now=None) -> bool:
        """Has a ballot phase begun? Then the rule and the costs are fixed."""
        now = now or timezone.now()
        return any(p.start <= now for p in self.vote_phases())

    def support_phases(self) -> list:
        return [p for p in self.project.ordered_phases() if SUPPORT in p.actions]

    def supports_ended(self, now=None) -> bool:
        """Has every phase of supports ended? Then staff fix what goes to the ballot."""
        now = now or timezone.now()
        phases = self.support_phases()
        return bool(phases) and all(p.end <= now for p in phases)

    def ballot_closed(self, now=None) -> bool:
        """Have all ballot phases ended? Then the results are shown."""
        now = now or timezone.now()
        phases = self.vote_phases()
        return bool(phases) and all(p.end <= now for p in phases)


class BudgetGroup(models.Model):
    """Money of its own with its own ballot: the whole town, or some Ortsteile.

    With ``districts`` only their residents (``User.home_district``) may vote in it;
    without, everyone who may take part. ``ballot_count`` is kept in the same
    transaction as the ballots (an ``F()`` update when a ballot is first stored).
    """

    budget = models.ForeignKey(
        Budget, verbose_name=_("Bürgerhaushalt"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("Name"), max_length=TITLE_MAX_LENGTH)
    amount = models.PositiveIntegerField(_("Betrag in Euro"))
    ballot_rule = models.CharField(
        _("Stimmzettel"), max_length=10, choices=BallotRule.choices, default=BallotRule.KNAPSACK
    )
    max_choices = models.PositiveSmallIntegerField(
        _("höchstens so viele Vorschläge"), null=True, blank=True
    )
    districts = models.ManyToManyField(
        District,
        verbose_name=_("nur für Einwohner dieser Ortsteile"),
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    ballot_count = models.PositiveIntegerField(_("Stimmzettel"), default=0, editable=False)
    # Selecting by supports (``support_services.group_select``): which ideas went to the
    # ballot, fixed by staff after the phase of supports; shown on the budget's page.
    selection_rule = models.CharField(
        _("Auswahl für den Stimmzettel"),
        max_length=10,
        choices=SelectionRule.choices,
        blank=True,
        editable=False,
    )
    selection_value = models.PositiveIntegerField(
        _("Zahl der Ideen oder Unterstützungen"), null=True, blank=True, editable=False
    )
    selected_at = models.DateTimeField(_("Auswahl festgelegt am"), null=True, blank=True)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Auswahl festgelegt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("Budgetgruppe")
        verbose_name_plural = _("Budgetgruppen")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_group_amount_positive"),
            models.CheckConstraint(
                condition=(Q(ballot_rule=BallotRule.KNAPSACK) & Q(max_choices__isnull=True))
                | (Q(ballot_rule=BallotRule.APPROVAL) & Q(max_choices__gte=1)),
                name="budget_group_max_choices_with_approval",
            ),
            models.CheckConstraint(
                condition=(Q(selection_rule="") & Q(selected_at__isnull=True))
                | (
                    ~Q(selection_rule="") & Q(selected_at__isnull=False) & Q(selection_value__gte=1)
                ),
                name="budget_group_selection_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("budgets:ballot", args=[self.pk])

    def clean(self) -> None:
        if self.ballot_rule == BallotRule.APPROVAL and not self.max_choices:
            raise ValidationError(
                {"max_choices": _("Bitte geben Sie an, wie viele Vorschläge man wählen darf.")}
            )
        if self.ballot_rule == BallotRule.KNAPSACK:
            self.max_choices = None

    @property
    def is_knapsack(self) -> bool:
        return self.ballot_rule == BallotRule.KNAPSACK


class IdeaQuerySet(models.QuerySet["Idea"]):
    def for_listing(self) -> IdeaQuerySet:
        return self.select_related("author", "district", "group")

    def not_hidden(self) -> IdeaQuerySet:
        return self.filter(hidden_at__isnull=True)

    def on_ballot(self) -> IdeaQuerySet:
        """Feasible ideas the moderation has not hidden and, where staff selected by
        supports, among the selected: what the ballot offers and the election counts (a
        hidden idea leaves the ballot, and votes for it count for nothing, like a
        withdrawn candidate)."""
        return self.filter(feasibility=Feasibility.FEASIBLE, hidden_at__isnull=True).exclude(
            selected=False
        )


OFFLINE_PLACE_MAX_LENGTH = 200
OFFLINE_NAME_MAX_LENGTH = 120


class Idea(ModeratedModel, TimeStampedModel):
    """A resident's idea for the budget, with its estimated cost and Ortsteil.

    Online ideas have their ``author``. Staff enter ideas handed in offline (at a market
    stand, in a workshop, by letter …): ``channel``, the day and place it was handed in,
    the member of staff who entered it (``entered_by``) and, only with the person's
    consent, their name (``offline_name``); ``author`` then stays empty. Residents may
    report an idea and moderators hide it (``ModeratedModel``; ``budgets.module``).

    Staff review it (``services.idea_review``): machbar with the administration's cost
    (``official_cost``, which the ballot uses), or nicht machbar; both with a public
    explanation. Unfeasible ideas stay visible with the reason; only feasible ones are
    on the ballot. ``project`` repeats the budget's project for the page cache.
    """

    budget = models.ForeignKey(
        Budget, verbose_name=_("Bürgerhaushalt"), on_delete=models.CASCADE, related_name="ideas"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        BudgetGroup, verbose_name=_("Budgetgruppe"), on_delete=models.CASCADE, related_name="ideas"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingereicht von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_ideas",
    )
    title = models.CharField(_("Titel"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("Beschreibung"), max_length=TEXT_MAX_LENGTH)
    estimated_cost = models.PositiveIntegerField(_("geschätzte Kosten in Euro"))
    district = models.ForeignKey(
        District,
        verbose_name=_("Ortsteil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # An optional point on the map; it decides the Ortsteil
    # (``projects.services.locate_in_project``).
    lon = models.FloatField(_("Längengrad"), null=True, blank=True)
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)
    feasibility = models.CharField(
        _("Prüfung"), max_length=10, choices=Feasibility.choices, default=Feasibility.PENDING
    )
    explanation = models.TextField(
        _("Begründung der Verwaltung"), blank=True, max_length=EXPLANATION_MAX_LENGTH
    )
    official_cost = models.PositiveIntegerField(
        _("Kosten laut Verwaltung in Euro"), null=True, blank=True
    )
    time_frame = models.CharField(
        _("Zeitrahmen laut Verwaltung"), max_length=TIME_FRAME_MAX_LENGTH, blank=True
    )
    # Who in the administration is to review it (``services.idea_assign_reviewer``).
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuständig für die Prüfung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geprüft von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(
        _("Kanal"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    submitted_on = models.DateField(_("abgegeben am"), null=True, blank=True)
    offline_place = models.CharField(
        _("Veranstaltung / Ort der Abgabe"), max_length=OFFLINE_PLACE_MAX_LENGTH, blank=True
    )
    offline_name = models.CharField(
        _("Name der einreichenden Person"), max_length=OFFLINE_NAME_MAX_LENGTH, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0, editable=False)
    # None: no selection by supports in its group (on the ballot if feasible); True or
    # False once staff fixed the selection (``support_services.group_select``).
    selected = models.BooleanField(
        _("für den Stimmzettel ausgewählt"), null=True, blank=True, editable=False
    )

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=1) & Q(estimated_cost__lte=MAX_COST),
                name="budget_idea_cost_range",
            ),
            models.CheckConstraint(
                condition=Q(feasibility=Feasibility.PENDING) | ~Q(explanation=""),
                name="budget_idea_reviewed_with_explanation",
            ),
            models.CheckConstraint(
                condition=~Q(feasibility=Feasibility.FEASIBLE) | Q(official_cost__gte=1),
                name="budget_idea_feasible_with_cost",
            ),
            # An offline idea says when it was handed in; an online one has no such day.
            models.CheckConstraint(
                condition=(Q(channel=Channel.ONLINE) & Q(submitted_on__isnull=True))
                | (~Q(channel=Channel.ONLINE) & Q(submitted_on__isnull=False)),
                name="budget_idea_offline_with_day",
            ),
            models.CheckConstraint(
                condition=(Q(lon__isnull=True) & Q(lat__isnull=True))
                | (Q(lon__gte=-180, lon__lte=180) & Q(lat__gte=-90, lat__lte=90)),
                name="budget_idea_point_complete_and_in_range",
            ),
        ]
        indexes = [models.Index(fields=["budget", "feasibility"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:idea", args=[self.pk])

    @property
    def cost(self) -> int:
        """What the idea costs on the ballot: the administration's figure once reviewed."""
        return self.official_cost or self.estimated_cost

    @property
    def is_offline(self) -> bool:
        return self.channel != Channel.ONLINE

    @property
    def has_point(self) -> bool:
        return self.lon is not None and self.lat is not None

    def public_author(self) -> str:
        """Who handed it in, as the public page says it."""
        if self.author_id is not None or not self.is_offline:
            return public_name(self.author)
        if self.offline_name:
            return self.offline_name
        return str(_("einer Teilnehmerin oder einem Teilnehmer"))


IMAGE_ALT_MAX_LENGTH = 250


class IdeaImage(models.Model):
    """A photo or sketch of an idea, stored re-encoded without metadata (EXIF/GPS) and
    resized (``core.images.sanitise_image``, through ``core.upload_checks.prepare_media``).
    Every image describes itself in ``alt_text`` or is marked decorative."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("Idee"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("Bild"), upload_to=RandomName("budgets/images/%Y/%m/"))
    alt_text = models.CharField(_("Bildbeschreibung"), max_length=IMAGE_ALT_MAX_LENGTH, blank=True)
    decorative = models.BooleanField(_("nur schmückend"), default=False)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Bild einer Idee")
        verbose_name_plural = _("Bilder von Ideen")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text="") | Q(decorative=True),
                name="budget_image_alt_or_decorative",
            )
        ]

    def __str__(self) -> str:
        return self.alt_text or str(_("Bild"))


class IdeaSupport(models.Model):
    """A resident's support for an idea in the phase of supports (one per person and
    idea, kept by the database; ``Idea.support_count`` grows in the same transaction).
    Deleting the account keeps the support (``user`` becomes empty): the count stays."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_idea_supports",
    )
    created_at = models.DateTimeField(_("unterstützt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "user"],
                condition=Q(user__isnull=False),
                name="budget_support_one_per_person_and_idea",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.user_id}"


class BallotQuerySet(models.QuerySet["Ballot"]):
    def counted(self) -> BallotQuerySet:
        """Ballots that count: online ones, and paper ones of confirmed batches that no
        confirmed correction replaced."""
        return self.filter(COUNTED_BALLOT)


# A ballot that counts, as a condition on ``Ballot`` (``prefix`` "ballot__" from a choice).
def counted_ballot(prefix: str = "") -> Q:
    return Q(**{f"{prefix}batch__isnull": True}) | Q(
        **{
            f"{prefix}batch__confirmed_at__isnull": False,
            f"{prefix}batch__superseded_at__isnull": True,
        }
    )


COUNTED_BALLOT = counted_ballot()


class PaperBatch(PaperBatchBase):
    """A stack of paper ballots of one group, entered by one member of staff.

    Its ballots (``Ballot.batch``) count only once a second person has confirmed the
    stack against the paper (``confirmed_by``/``_at``); the person who entered it
    cannot confirm it (``budgets.confirm_paper_batch``). A confirmed stack no longer
    changes, and nothing is entered or confirmed once the group's result exists.
    """

    group = models.ForeignKey(
        BudgetGroup,
        verbose_name=_("Budgetgruppe"),
        on_delete=models.CASCADE,
        related_name="paper_batches",
    )
    place = paper_place_field(_("z. B. „Urne im Rathaus“ oder „Briefwahl“."))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geprüft und bestätigt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    # A correction of a confirmed stack (``correction_services``): a new stack, entered by
    # one person and confirmed by another; once confirmed, the stack it corrects is
    # ``superseded_at`` and no longer counts. Both stay, with who did what and why.
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("korrigiert den Stapel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    correction_reason = models.TextField(_("Grund der Korrektur"), blank=True, max_length=1000)
    superseded_at = models.DateTimeField(_("durch Korrektur ersetzt am"), null=True, blank=True)

    class Meta(PaperBatchBase.Meta):
        verbose_name = _("Stapel Papierstimmzettel")
        verbose_name_plural = _("Stapel Papierstimmzettel")
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="budget_batch_correction_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True) | Q(confirmed_at__isnull=False),
                name="budget_batch_superseded_once_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.collected_on:%d.%m.%Y} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("budgets:paper_batch", args=[self.pk])

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None


class Ballot(TimeStampedModel):
    """One person's ballot in one group (changeable while the ballot is open), or a
    paper ballot entered by staff (``batch``; no person).

    The database keeps one per person and group. Deleting the account keeps the ballot
    (``voter`` becomes empty): it still counts, without the person. A paper ballot
    counts once its batch is confirmed (``counted()``).
    """

    group = models.ForeignKey(
        BudgetGroup,
        verbose_name=_("Budgetgruppe"),
        on_delete=models.CASCADE,
        related_name="ballots",
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgegeben von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_ballots",
    )
    batch = models.ForeignKey(
        PaperBatch,
        verbose_name=_("Stapel Papierstimmzettel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ballots",
    )

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("Stimmzettel")
        verbose_name_plural = _("Stimmzettel")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "voter"],
                condition=Q(voter__isnull=False),
                name="budget_ballot_one_per_person_and_group",
            ),
            models.CheckConstraint(
                condition=Q(voter__isnull=True) | Q(batch__isnull=True),
                name="budget_ballot_paper_without_person",
            ),
        ]

    @property
    def is_paper(self) -> bool:
        return self.batch_id is not None

    def __str__(self) -> str:
        return f"{self.group} #{self.pk}"


class BallotChoice(models.Model):
    """An idea chosen on a ballot."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "idea"], name="budget_choice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.idea_id}"


class ResultState(models.TextChoices):
    QUEUED = "queued", _("wartet auf die Berechnung")
    RUNNING = "running", _("wird berechnet")
    DONE = "done", _("berechnet")
    FAILED = "failed", _("Berechnung fehlgeschlagen")


class GroupResult(models.Model):
    """The result of a group once its ballot has closed (one per group).

    The first visit to the results page after the ballot creates it (``QUEUED``) and hands
    the computation to a background task (``tasks.compute_group_result``), which sets
    ``progress`` (per cent) as it goes and stores ``data``: both rules' outcomes with the
    figures the results page explains (``results.compute``). The ballot is closed, so a
    stored result never changes.
    """

    group = models.OneToOneField(BudgetGroup, on_delete=models.CASCADE, related_name="result")
    state = models.CharField(
        _("Stand"), max_length=10, choices=ResultState.choices, default=ResultState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"), default=0)
    started_at = models.DateTimeField(_("angefordert am"), default=timezone.now)
    computed_at = models.DateTimeField(_("berechnet am"), null=True, blank=True)
    data = models.JSONField(_("Ergebnis"), null=True, blank=True)
    message = models.TextField(_("Fehlermeldung"), blank=True)

    class Meta:
        verbose_name = _("Ergebnis")
        verbose_name_plural = _("Ergebnisse")
        constraints = [
            models.CheckConstraint(
                condition=(Q(state=ResultState.DONE) & Q(data__isnull=False))
                | (~Q(state=ResultState.DONE) & Q(data__isnull=True)),
                name="budget_result_data_when_done",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="budget_result_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return str(self.group)

    @property
    def done(self) -> bool:
        return self.state == ResultState.DONE
