"""Team: the cross-functional scoring team, the functions in the room and the steering committee."""

from workbook.ui import team_page

team_page.render()
