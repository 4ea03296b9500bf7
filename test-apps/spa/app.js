document.getElementById('root').textContent = `route ${location.pathname}`;
