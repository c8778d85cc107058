"""The applicant's pages: starting (start.py), the parts and submitting (parts.py), status (status.py).

Every page is for signed-in applicants and reads the application through
Application.objects.for_user, so another applicant's URLs answer 404.
"""
