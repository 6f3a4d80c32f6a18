from django.urls import path

from . import views, views_instructions

urlpatterns = [
    # liaison roster
    path("liaisons/", views.liaison_directory, name="coordination_liaison_directory"),
    path("liaisons/appoint/", views.liaison_appoint, name="coordination_liaison_appoint"),
    path("liaisons/unit/<uuid:code>/", views.liaison_history, name="coordination_liaison_history"),
    path("liaisons/term/<uuid:code>/end/", views.liaison_end, name="coordination_liaison_end"),
    # joint meetings
    path("", views.joint_meeting_list, name="coordination_joint_meeting_list"),
    path("new/", views.joint_meeting_form, name="coordination_joint_meeting_create"),
    path("<uuid:code>/", views.joint_meeting_detail, name="coordination_joint_meeting_detail"),
    path("<uuid:code>/edit/", views.joint_meeting_form, name="coordination_joint_meeting_edit"),
    path("<uuid:code>/decisions.xlsx", views.decisions_xlsx, name="coordination_decisions_xlsx"),
    path("<uuid:jm_code>/meetings/new/", views.meeting_form, name="coordination_meeting_create"),
    # meetings
    path("meetings/<uuid:code>/", views.meeting_detail, name="coordination_meeting_detail"),
    path("meetings/<uuid:code>/edit/", views.meeting_form, name="coordination_meeting_edit"),
    path("meetings/<uuid:code>/agenda/propose/", views.agenda_propose, name="coordination_agenda_propose"),
    path("meetings/<uuid:code>/agenda/settle/", views.agenda_settle, name="coordination_agenda_settle"),
    path("meetings/<uuid:code>/sign-in/", views.sign_in_screen, name="coordination_sign_in_screen"),
    path("meetings/<uuid:code>/attendance/", views.attendance_record, name="coordination_attendance_record"),
    path("meetings/<uuid:code>/sign-in.png", views.sign_in_qr, name="coordination_sign_in_qr"),
    path("meetings/<uuid:code>/decisions/new/", views.decision_add, name="coordination_decision_add"),
    path(
        "meetings/<uuid:code>/decisions/import/", views.decision_import, name="coordination_decision_import"
    ),
    path("meetings/<uuid:code>/minutes/issue/", views.minutes_issue, name="coordination_minutes_issue"),
    path("meetings/<uuid:code>/minutes.docx", views.minutes_download, name="coordination_minutes_docx"),
    path("decisions/<uuid:code>/delete/", views.decision_delete, name="coordination_decision_delete"),
    path("sign-in/<str:token>/", views.sign_in, name="coordination_sign_in"),
    # leader instructions
    path("instructions/", views_instructions.instruction_list, name="coordination_instruction_list"),
    path("instructions/new/", views_instructions.instruction_create, name="coordination_instruction_create"),
    path(
        "instructions/<uuid:code>/",
        views_instructions.instruction_detail,
        name="coordination_instruction_detail",
    ),
    path(
        "instructions/<uuid:code>/tasks/new/",
        views_instructions.instruction_task_add,
        name="coordination_instruction_task_add",
    ),
]
