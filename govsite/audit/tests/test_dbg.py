import pytest
from django.urls import reverse
from govsite.audit.models import AuditEvent

@pytest.mark.django_db
def test_dbg(personas, login):
    before = AuditEvent.objects.order_by("-seq").first().seq
    c = login(personas.editor_a)
    r = c.get(reverse("govsite_audit:index"))
    print(r.status_code)
    for e in AuditEvent.objects.filter(seq__gt=before).order_by("seq"):
        print(e.seq, e.action, e.outcome, e.actor_username, e.detail)
    before = AuditEvent.objects.order_by("-seq").first().seq
    r = c.get(reverse("govsite_audit:verify"))
    print(r.status_code)
    for e in AuditEvent.objects.filter(seq__gt=before).order_by("seq"):
        print(e.seq, e.action, e.outcome, e.actor_username, e.detail)
