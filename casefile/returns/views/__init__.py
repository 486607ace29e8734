"""The returns pages, one module per return: home (the list of returns), census (the CIN census export); the
validator, Annex A and the Standard Safeguarding Dataset add their own modules beside these."""
