export default {
  async fetch(request: Request) {
    return new Response(`sim placeholder ${new URL(request.url).pathname}`);
  },
};
