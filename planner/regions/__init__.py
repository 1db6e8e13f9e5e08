"""Indonesia's provinces and regencies/cities, as the Ministry of Home Affairs (Kemendagri)
codes them: the official list a visiting regional government is chosen from."""
