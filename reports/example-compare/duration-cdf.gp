# duration-cdf.gp, written by mrb-analyze: run gnuplot duration-cdf.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'duration-cdf.png'
set title 'Warm duration (CDF)'
set xlabel 'duration in ms (log scale)'
set ylabel 'fraction of invocations'
set grid
set key left top
set yrange [0:1]
set logscale x
plot 'duration-cdf.dat' index 0 using 1:2 with steps lw 2 lc rgb '#2ca02c' title 'go', \
     'duration-cdf.dat' index 1 using 1:2 with steps lw 2 lc rgb '#9467bd' title 'kotlin', \
     'duration-cdf.dat' index 2 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'python', \
     'duration-cdf.dat' index 3 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'typescript'
set terminal svg size 900,500
set termoption noenhanced
set output 'duration-cdf.svg'
replot
unset output
