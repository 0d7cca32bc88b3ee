from django.urls import path

from participants import views

urlpatterns = [
    path("programmes/<int:programme_id>/people/add/", views.person_add, name="person_add"),
    path("programmes/<int:programme_id>/cards/", views.signin_cards, name="signin_cards"),
    path(
        "programmes/<int:programme_id>/cards/<int:user_id>/renew/",
        views.signin_card_renew,
        name="signin_card_renew",
    ),
    path(
        "programmes/<int:programme_id>/people/<int:membership_id>/organisation/",
        views.membership_organisation,
        name="membership_organisation",
    ),
    path(
        "programmes/<int:programme_id>/people/<int:membership_id>/remove/",
        views.membership_end,
        name="membership_end",
    ),
    path(
        "programmes/<int:programme_id>/people/<int:user_id>/sign-out-everywhere/",
        views.person_sign_out_everywhere,
        name="person_sign_out_everywhere",
    ),
    path("programmes/<int:programme_id>/consent/", views.consent, name="consent"),
    path(
        "programmes/<int:programme_id>/people/<int:membership_id>/consent-on-paper/",
        views.consent_on_paper,
        name="consent_on_paper",
    ),
    path("invitations/<int:membership_id>/", views.invitation_answer, name="invitation_answer"),
    path("sign-out/everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("card/<str:secret>/", views.card_signin, name="card_signin"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("me/data/", views.my_data, name="my_data"),
    path("text-size/", views.text_size, name="text_size"),
]
