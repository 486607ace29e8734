"""The four audit tools Casefile ships: a whole-file audit, a themed audit of neglect, a supervision audit and a
team manager's monthly audit. An authority changes their wording, or adds its own, in the database.

The questions are written in the words of Working Together to Safeguard Children (2023), the DfE's child in need
and child protection guidance and Ofsted's inspection framework (ILACS), as an auditor would ask them of a file.
The data is kept here, not imported, so the migration builds the same tools whatever the code says later.
"""

from django.db import migrations

WHOLE_FILE = "Whole-file audit"
NEGLECT = "Themed audit: neglect"
SUPERVISION = "Supervision audit"
MONTHLY = "Team manager’s monthly audit"

TEMPLATES = [
    (WHOLE_FILE, "whole_file",
     "Every practice area of the child's file, from the referral to today: for the annual programme of audits.", [
         ("basic_information", [
             "Are the child's details, household, family network and the people important to them recorded and "
             "up to date?",
             "Are the child's ethnicity, religion, first language, disability and any communication needs recorded?",
             "Is there a chronology of significant events that helps someone new understand the child's history?",
         ]),
         ("effectiveness_of_help", [
             "Is earlier help (early help, previous referrals and plans) known and learned from?",
             "Has the help given so far made a difference to the child's daily life?",
         ]),
         ("need_and_risk", [
             "Was the assessment completed within 45 working days, or is the reason for any delay recorded?",
             "Does the assessment analyse the child's needs, the risks and the family's strengths, rather than "
             "describe them?",
             "Is the impact of any parental issue (domestic abuse, substance misuse, mental ill-health) on this "
             "child understood?",
             "Were risks reassessed when circumstances changed?",
         ]),
         ("service_response", [
             "Was the referral decided within one working day, with a clear reason for the threshold?",
             "Were strategy discussions and section 47 enquiries held when the threshold was met, with the "
             "right agencies?",
             "Did the child get the right service at the right time, without drift or delay?",
         ]),
         ("planning_and_review", [
             "Is there a current plan with specific, measurable actions, named people and timescales?",
             "Were the plan and conferences reviewed within the statutory timescales?",
             "Is there a contingency plan if things do not improve?",
         ]),
         ("relationship_with_child", [
             "Has the child been seen, and seen alone where appropriate, as often as the plan requires?",
             "Does the worker know the child well: their wishes, feelings, daily life and what matters to them?",
             "Has the child had a consistent worker, or were changes of worker explained to them?",
         ]),
         ("child_centred", [
             "Is the child's voice recorded in their own words, and has it shaped the plan?",
             "Are the child's identity, culture, faith, language and any disability understood and responded to?",
             "Were fathers and other significant adults involved and assessed?",
         ]),
         ("multi_agency", [
             "Were partner agencies (health, education, police) consulted and involved in assessment and planning?",
             "Do agencies share information in good time, and attend core groups and conferences?",
         ]),
         ("oversight_and_supervision", [
             "Is management oversight recorded at key decision points, with the reasons for decisions?",
             "Is the case discussed in regular reflective supervision, with actions followed up?",
             "Did managers challenge drift and make a difference to the child's plan?",
         ]),
         ("recording", [
             "Is the record up to date, accurate and written in plain language the child could understand?",
             "Are case notes, visits and decisions recorded promptly after they happen?",
         ]),
         ("outcomes", [
             "Is the child safer, and are their needs better met, than when we first became involved?",
             "Can the difference our work has made be seen in the child's own experience?",
         ]),
     ]),
    (NEGLECT, "themed",
     "A themed audit of children living with neglect: whether cumulative harm is recognised and acted on.", [
         ("effectiveness_of_help", [
             "Is the history of neglect, including earlier help that did not last, known and weighed?",
         ]),
         ("need_and_risk", [
             "Is the cumulative impact of neglect on the child's health, development and education analysed?",
             "Was a recognised neglect assessment tool used, and did it inform the plan?",
             "Are the parents' capacity to change and their engagement assessed, not assumed?",
         ]),
         ("relationship_with_child", [
             "Is the child seen at home, including their bedroom, and seen alone?",
             "Does the record describe the child's lived experience of a typical day?",
         ]),
         ("planning_and_review", [
             "Does the plan say what must change for the child, by when, and what happens if it does not?",
             "Is progress measured against the plan rather than the parents' attendance?",
         ]),
         ("multi_agency", [
             "Are health (including missed appointments) and school attendance checked and discussed?",
         ]),
         ("oversight_and_supervision", [
             "Has a manager considered escalation (a conference, or legal planning) where neglect persists?",
         ]),
         ("outcomes", [
             "Has the child's daily care improved, and has it lasted?",
         ]),
     ]),
    (SUPERVISION, "supervision",
     "Whether case supervision and management oversight on the file are reflective, timely and make a difference.",
     [
         ("oversight_and_supervision", [
             "Was the case discussed in supervision as often as the authority's standard requires?",
             "Does the supervision record reflect on what is happening, the worries, what is working well and the "
             "hypotheses?",
             "Were actions from supervision specific, with who and by when, and were they done?",
             "Did supervision change the direction of the work where it needed to?",
         ]),
         ("planning_and_review", [
             "Are the decisions from supervision carried into the child's plan?",
         ]),
         ("recording", [
             "Is supervision recorded on the child's file promptly and signed off by the worker and the manager?",
         ]),
         ("outcomes", [
             "Can a difference for the child be traced to decisions made in supervision?",
         ]),
     ]),
    (MONTHLY, "monthly",
     "A short monthly audit a team manager makes of a child held in their team.", [
         ("basic_information", [
             "Are the child's details, household and key people correct and current?",
         ]),
         ("service_response", [
             "Are the statutory timescales for this child (assessment, visits, reviews) met?",
         ]),
         ("relationship_with_child", [
             "Has the child been seen within the visiting timescale, and seen alone?",
         ]),
         ("oversight_and_supervision", [
             "Is there recorded management oversight since last month's audit?",
             "Were last month's actions completed?",
         ]),
         ("recording", [
             "Are case notes and visits up to date?",
         ]),
     ]),
]


def ship(apps, schema_editor):
    AuditTemplate = apps.get_model("quality", "AuditTemplate")
    AuditSection = apps.get_model("quality", "AuditSection")
    AuditQuestion = apps.get_model("quality", "AuditQuestion")
    for name, kind, description, sections in TEMPLATES:
        template = AuditTemplate.objects.create(name=name, kind=kind, description=description)
        for position, (area, questions) in enumerate(sections, start=1):
            section = AuditSection.objects.create(template=template, area=area, position=position)
            AuditQuestion.objects.bulk_create(
                AuditQuestion(section=section, text=text, position=number)
                for number, text in enumerate(questions, start=1))


def unship(apps, schema_editor):
    AuditTemplate = apps.get_model("quality", "AuditTemplate")
    AuditTemplate.objects.filter(name__in=[name for name, *_ in TEMPLATES]).delete()


class Migration(migrations.Migration):

    dependencies = [("quality", "0003_audit_templates")]

    operations = [migrations.RunPython(ship, unship)]
