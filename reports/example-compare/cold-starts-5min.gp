# cold-starts-5min.gp, written by mrb-analyze: run gnuplot cold-starts-5min.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'cold-starts-5min.png'
set title 'Cold starts per 5 minutes'
set xlabel 'time (UTC)'
set ylabel 'cold starts per 5 minutes'
set grid
set key left top
set xdata time
set timefmt '%s'
set format x '%H:%M'
plot 'cold-starts-5min.dat' index 0 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#2ca02c' title 'go', \
     'cold-starts-5min.dat' index 1 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#9467bd' title 'kotlin', \
     'cold-starts-5min.dat' index 2 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#1f77b4' title 'python', \
     'cold-starts-5min.dat' index 3 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#ff7f0e' title 'typescript'
set terminal svg size 900,500
set termoption noenhanced
set output 'cold-starts-5min.svg'
replot
unset output
