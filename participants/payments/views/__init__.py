"""Payment pages: organisers run payments (`organiser`) and download them for finance
(`exports`); facilitators confirm registers (`register`); contributors see their own
(`mine`); a statement for the benefits office is printed by either (`statements`). Nothing
here travels over a room socket."""
