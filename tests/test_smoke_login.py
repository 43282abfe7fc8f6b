from wki.core.auth import Role


def test_admin_sees_users_page(admin_client):
    """A logged-in administrator opens the user list."""
    response = admin_client.get("/beheer/gebruikers")
    assert response.status_code == 200
    assert admin_client.user.email in response.get_data(as_text=True)


def test_inspector_refused_admin(login_as):
    client = login_as(Role.INSPECTEUR)
    assert client.get("/beheer/gebruikers").status_code == 403
