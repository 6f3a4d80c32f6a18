/* Wall screen: dark theme before the first paint, so loaded without defer in <head>. */
document.documentElement.setAttribute("data-bs-theme", "dark");
